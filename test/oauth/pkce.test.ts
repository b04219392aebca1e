// PKCE rules: S256 only, format checks, and the downgrade defences of RFC 9700 §2.1.1.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { OAuthError } from '../../src/oauth/errors.ts';
import { challengeFor, parseCodeChallenge, verifyPkce } from '../../src/oauth/pkce.ts';

// RFC 7636 appendix B.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function oauthError(code: string, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof OAuthError, `expected an OAuthError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (message) assert.match(error.description, message);
    return true;
  };
}

describe('PKCE at the authorize step', () => {
  it('accepts an S256 challenge and binds it unchanged', () => {
    assert.equal(parseCodeChallenge(RFC_CHALLENGE, 'S256'), RFC_CHALLENGE);
  });

  it('rejects plain with invalid_request', () => {
    assert.throws(() => parseCodeChallenge(RFC_VERIFIER, 'plain'), oauthError('invalid_request', /S256/));
  });

  it('rejects a challenge without a method (the RFC default would be plain)', () => {
    assert.throws(() => parseCodeChallenge(RFC_CHALLENGE, undefined), oauthError('invalid_request'));
  });

  it('rejects a method without a challenge', () => {
    assert.throws(() => parseCodeChallenge(undefined, 'S256'), oauthError('invalid_request'));
  });

  it('accepts no PKCE at all (confidential clients may use the secret)', () => {
    assert.equal(parseCodeChallenge(undefined, undefined), undefined);
  });

  it('checks the challenge format: 43 base64url characters', () => {
    for (const bad of [RFC_CHALLENGE.slice(1), `${RFC_CHALLENGE}A`, `${RFC_CHALLENGE.slice(0, 42)}=`, `${RFC_CHALLENGE.slice(0, 42)}+`, '']) {
      assert.throws(() => parseCodeChallenge(bad, 'S256'), oauthError('invalid_request'), bad);
    }
  });
});

describe('PKCE at the token step', () => {
  it('computes the RFC 7636 appendix B challenge', () => {
    assert.equal(challengeFor(RFC_VERIFIER), RFC_CHALLENGE);
  });

  it('accepts the matching verifier', () => {
    assert.doesNotThrow(() => verifyPkce(RFC_CHALLENGE, RFC_VERIFIER));
  });

  it('accepts the verifiers of ilert\'s sample app (56 and 64 hex characters)', () => {
    // Browser sample: 28 random Uint32, the last two hex digits of each. Node sample: 32 bytes as hex.
    const browser = Array.from(crypto.getRandomValues(new Uint32Array(28)), (n) => `0${n.toString(16)}`.slice(-2)).join('');
    const node = randomBytes(32).toString('hex');
    assert.equal(browser.length, 56);
    assert.equal(node.length, 64);
    for (const verifier of [browser, node]) {
      assert.doesNotThrow(() => verifyPkce(challengeFor(verifier), verifier));
    }
  });

  it('accepts verifiers of 43 and 128 characters using every allowed character class', () => {
    const v43 = 'Az09-._~'.repeat(6).slice(0, 43);
    const v128 = 'aZ9-._~x'.repeat(16);
    assert.equal(v43.length, 43);
    assert.equal(v128.length, 128);
    assert.doesNotThrow(() => verifyPkce(challengeFor(v43), v43));
    assert.doesNotThrow(() => verifyPkce(challengeFor(v128), v128));
  });

  it('rejects verifiers that are too short, too long or use other characters', () => {
    const bad = ['a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}+`, `${'a'.repeat(42)}/`, `${'a'.repeat(42)} `, `${'a'.repeat(42)}ä`];
    for (const verifier of bad) {
      // Even with the "right" challenge for that string, the format alone must fail it.
      assert.throws(() => verifyPkce(challengeFor(verifier), verifier), oauthError('invalid_grant', /43 to 128/), verifier);
    }
  });

  it('rejects a wrong verifier', () => {
    assert.throws(() => verifyPkce(RFC_CHALLENGE, `${RFC_VERIFIER.slice(0, -1)}Y`), oauthError('invalid_grant', /does not match/));
  });

  it('rejects a verifier when the code was issued without a challenge (downgrade)', () => {
    assert.throws(() => verifyPkce(null, RFC_VERIFIER), oauthError('invalid_grant'));
  });

  it('rejects a missing verifier when the code has a challenge', () => {
    assert.throws(() => verifyPkce(RFC_CHALLENGE, undefined), oauthError('invalid_grant', /required/));
  });

  it('passes when neither side used PKCE', () => {
    assert.doesNotThrow(() => verifyPkce(null, undefined));
  });
});
