// at_hash and sid as OpenID Connect Core defines them, independent of a server.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { accessTokenHash, sessionSid } from '../../src/oauth/id-token.ts';

describe('ID token helpers', () => {
  it("at_hash matches OpenID Connect Core's example (RS256, Appendix A.3)", () => {
    assert.equal(accessTokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256'), '77QmUPtjPfzWtF2AnpK9RQ');
  });

  it('at_hash uses the hash of the algorithm: SHA-256 for ES256, SHA-512 for EdDSA', () => {
    const token = 'eyJ.example.token';
    const half = (alg: string, bytes: number) => createHash(alg).update(token).digest().subarray(0, bytes).toString('base64url');
    assert.equal(accessTokenHash(token, 'ES256'), half('sha256', 16));
    assert.equal(accessTokenHash(token, 'EdDSA'), half('sha512', 32));
  });

  it('sid is stable per session and reveals neither the session id nor its stored hash', () => {
    const hash = 'a'.repeat(64);
    assert.equal(sessionSid(hash), sessionSid(hash));
    assert.notEqual(sessionSid(hash), sessionSid('b'.repeat(64)));
    assert.ok(!hash.includes(sessionSid(hash)));
  });
});
