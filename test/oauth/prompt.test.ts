// Reading prompt, and the query a request goes on with once a step settled part of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { querySettling, readPrompt } from '../../src/oauth/prompt.ts';

describe('prompt', () => {
  it('reads select_account beside the other values; none stays alone', () => {
    assert.deepEqual([...readPrompt('select_account consent').prompt], ['select_account', 'consent']);
    assert.equal(readPrompt('none select_account').problem?.code, 'invalid_request');
    assert.equal(readPrompt('none login').problem?.code, 'invalid_request');
    assert.equal(readPrompt('create').problem?.code, 'invalid_request');
  });

  it('a sign-in settles login, select_account, max_age and login_hint; the rest is kept', () => {
    const query = 'client_id=a&prompt=login+select_account+consent&max_age=0&login_hint=joe&nonce=n&id_token_hint=t';
    assert.equal(querySettling(query, 'signIn'), 'client_id=a&prompt=consent&nonce=n&id_token_hint=t');
    assert.equal(querySettling('prompt=login&state=s', 'signIn'), 'state=s');
  });

  it('choosing the signed-in account settles select_account and login_hint, not max_age', () => {
    assert.equal(querySettling('prompt=select_account&max_age=60&login_hint=joe', 'accountChosen'), 'max_age=60');
  });

  it('a query with nothing to settle comes back byte for byte', () => {
    const raw = 'client_id=a&scope=profile%20source:w&state=st+ate&prompt=consent';
    assert.equal(querySettling(raw, 'signIn'), raw);
    assert.equal(querySettling(raw, 'accountChosen'), raw);
  });
});
