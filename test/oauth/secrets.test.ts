// Random tokens, hashes and constant-time comparison.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { TOKEN_PREFIX, randomHex, randomToken, safeEqual, sha256Base64Url, sha256Hex } from '../../src/oauth/secrets.ts';

describe('secrets', () => {
  it('makes prefixed tokens of 256 random bits that do not repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const token = randomToken(TOKEN_PREFIX.refreshToken);
      assert.match(token, /^ghr_[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(token.slice(4), 'base64url').length, 32);
      seen.add(token);
    }
    assert.equal(seen.size, 200);
  });

  it('uses distinct prefixes for codes, refresh tokens and sessions', () => {
    const prefixes = Object.values(TOKEN_PREFIX);
    assert.equal(new Set(prefixes).size, prefixes.length);
    assert.ok(randomToken(TOKEN_PREFIX.authorizationCode).startsWith('ghc_'));
  });

  it('makes hex strings of the asked length (client id 20, secret 64 characters)', () => {
    assert.match(randomHex(10), /^[0-9a-f]{20}$/);
    assert.match(randomHex(32), /^[0-9a-f]{64}$/);
    assert.notEqual(randomHex(32), randomHex(32));
  });

  it('hashes with SHA-256 in hex and base64url', () => {
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256Base64Url('abc'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    assert.equal(sha256Hex('é'), createHash('sha256').update('é', 'utf8').digest('hex'));
  });

  it('compares strings for equality', () => {
    assert.equal(safeEqual('same-secret', 'same-secret'), true);
    assert.equal(safeEqual('same-secret', 'same-secreT'), false);
    assert.equal(safeEqual('short', 'longer-value'), false);
    assert.equal(safeEqual('', ''), true);
    assert.equal(safeEqual('', 'x'), false);
  });
});
