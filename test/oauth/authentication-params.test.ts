// Reading max_age, login_hint, ui_locales and acr_values: typed values, or invalid_request.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_MAX_AGE, readAuthenticationParams } from '../../src/oauth/authentication-params.ts';

const problemOf = (raw: Parameters<typeof readAuthenticationParams>[0]) => readAuthenticationParams(raw).problem;

describe('authentication request parameters', () => {
  it('none given: nothing read, no problem', () => {
    assert.deepEqual(readAuthenticationParams({}), { auth: {} });
  });

  it('max_age: whole seconds from 0 to 2^31 - 1', () => {
    assert.deepEqual(readAuthenticationParams({ max_age: '0' }), { auth: { maxAge: 0 } });
    assert.deepEqual(readAuthenticationParams({ max_age: '3600' }), { auth: { maxAge: 3600 } });
    assert.deepEqual(readAuthenticationParams({ max_age: String(MAX_MAX_AGE) }), { auth: { maxAge: MAX_MAX_AGE } });
    for (const bad of ['-1', 'abc', '1.5', '1e3', '+5', ' 5', '0x10', String(MAX_MAX_AGE + 1), '99999999999999999999']) {
      const problem = problemOf({ max_age: bad });
      assert.equal(problem?.code, 'invalid_request', bad);
      assert.match(problem?.description ?? '', /max_age/);
    }
  });

  it('login_hint: at most 255 characters, trimmed; blank is none', () => {
    assert.deepEqual(readAuthenticationParams({ login_hint: ' jane@acme ' }), { auth: { loginHint: 'jane@acme' } });
    assert.deepEqual(readAuthenticationParams({ login_hint: '   ' }), { auth: {} });
    assert.deepEqual(readAuthenticationParams({ login_hint: 'x'.repeat(255) }), { auth: { loginHint: 'x'.repeat(255) } });
    assert.equal(problemOf({ login_hint: 'x'.repeat(256) })?.code, 'invalid_request');
  });

  it('ui_locales: space-separated language tags, at most 255 characters', () => {
    assert.deepEqual(readAuthenticationParams({ ui_locales: 'de-CH  fr-Latn-FR en' }), { auth: { uiLocales: ['de-CH', 'fr-Latn-FR', 'en'] } });
    for (const bad of ['en_US', 'de-', '*', 'toolonglanguage', 'en '.repeat(90)]) assert.equal(problemOf({ ui_locales: bad })?.code, 'invalid_request', bad);
  });

  it('acr_values: space-separated visible ASCII, at most 1024 characters', () => {
    assert.deepEqual(readAuthenticationParams({ acr_values: 'urn:gatehouse:acr:pwd 2' }), { auth: { acrValues: ['urn:gatehouse:acr:pwd', '2'] } });
    assert.equal(problemOf({ acr_values: 'a'.repeat(1025) })?.code, 'invalid_request');
    assert.equal(problemOf({ acr_values: 'caf\u00e9' })?.code, 'invalid_request');
  });

  it('one problem: nothing read, so nothing half-applied', () => {
    assert.deepEqual(Object.keys(readAuthenticationParams({ max_age: '60', login_hint: 'jane', ui_locales: 'en_US' })), ['auth', 'problem']);
    assert.deepEqual(readAuthenticationParams({ max_age: '60', ui_locales: 'en_US' }).auth, {});
  });
});
