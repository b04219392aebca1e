// What a request asks of the sign-in, and what prompt=none answers instead.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readPrompt } from '../../src/oauth/prompt.ts';
import { promptNoneError, signInStep, type SignInState } from '../../src/oauth/sign-in-step.ts';

const now = new Date('2026-01-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const state = (o: { prompt?: string; maxAge?: number; session?: Partial<NonNullable<SignInState['session']>> | null } = {}): SignInState => ({
  prompt: readPrompt(o.prompt).prompt,
  ...(o.maxAge === undefined ? {} : { maxAge: o.maxAge }),
  ...(o.session === null ? {} : { session: { signedInAt: ago(100), isHintedUser: true, isLoginHintUser: true, ...o.session } }),
  now,
});

describe('sign-in step', () => {
  it('a plain request with a session goes on; without one, the sign-in', () => {
    assert.deepEqual(signInStep(state()), { step: 'proceed' });
    assert.deepEqual(signInStep(state({ session: null })), { step: 'signIn', reason: 'no_session' });
  });

  it('max_age: older than it (strictly), renewed; 0 always; an unknown sign-in time counts as too old', () => {
    assert.deepEqual(signInStep(state({ maxAge: 100 })), { step: 'proceed' });
    assert.deepEqual(signInStep(state({ maxAge: 99 })), { step: 'signIn', reason: 'max_age' });
    assert.deepEqual(signInStep(state({ maxAge: 0, session: { signedInAt: now } })), { step: 'signIn', reason: 'max_age' });
    assert.deepEqual(signInStep(state({ maxAge: 3600, session: { signedInAt: undefined } })), { step: 'signIn', reason: 'max_age' });
  });

  it('the hints: another user than id_token_hint names is a sign-in; than login_hint names, a choice', () => {
    assert.deepEqual(signInStep(state({ session: { isHintedUser: false } })), { step: 'signIn', reason: 'id_token_hint' });
    assert.deepEqual(signInStep(state({ session: { isLoginHintUser: false } })), { step: 'chooseAccount', reason: 'login_hint' });
    assert.deepEqual(signInStep(state({ prompt: 'select_account' })), { step: 'chooseAccount', reason: 'prompt' });
    assert.deepEqual(signInStep(state({ prompt: 'login select_account' })), { step: 'signIn', reason: 'prompt_login' }, 'a sign-in settles both');
  });

  it('prompt=none: login_required for every sign-in, interaction_required for a choice', () => {
    assert.equal(promptNoneError({ step: 'signIn', reason: 'no_session' }).code, 'login_required');
    assert.equal(promptNoneError({ step: 'signIn', reason: 'max_age' }).code, 'login_required');
    assert.equal(promptNoneError({ step: 'signIn', reason: 'id_token_hint' }).code, 'login_required');
    assert.equal(promptNoneError({ step: 'chooseAccount', reason: 'login_hint' }).code, 'interaction_required');
  });
});
