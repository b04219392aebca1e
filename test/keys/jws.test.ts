// Our compact JWS against jose, for every algorithm the ring can hold: each verifies the other's
// tokens, and ours refuses a different alg, a tampered token and lookalike encodings.
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT, jwtVerify } from 'jose';
import { SIGNING_ALGS, type SigningAlg } from '../../src/keys/generate-key.ts';
import { decodeCompact, signCompact, verifyCompact } from '../../src/keys/jws.ts';

function keyPair(alg: SigningAlg): { privateKey: KeyObject; publicKey: KeyObject } {
  if (alg === 'RS256') return generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (alg === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return generateKeyPairSync('ed25519');
}

for (const alg of SIGNING_ALGS) {
  describe(`compact JWS ${alg}`, () => {
    const { privateKey, publicKey } = keyPair(alg);
    const payload = { sub: '7', scope: 'profile', n: 1, name: 'Jürgen ✓' };

    it('signs what jose verifies, and verifies what jose signs', async () => {
      const ours = signCompact({ alg, typ: 'at+jwt', kid: 'k1' }, payload, privateKey);
      const { payload: seen, protectedHeader } = await jwtVerify(ours, publicKey, { algorithms: [alg] });
      assert.deepEqual(seen, payload);
      assert.deepEqual(protectedHeader, { alg, typ: 'at+jwt', kid: 'k1' });

      const theirs = await new SignJWT(payload).setProtectedHeader({ alg, kid: 'k1' }).sign(privateKey);
      const decoded = decodeCompact(theirs);
      assert.ok(decoded);
      assert.deepEqual(verifyCompact(decoded, alg, publicKey), payload);
    });

    it('refuses another alg in the header, a tampered payload or signature, and another key', () => {
      const token = signCompact({ alg, typ: 'at+jwt' }, payload, privateKey);
      const [header, body, signature] = token.split('.') as [string, string, string];
      const other = SIGNING_ALGS.find((a) => a !== alg) as SigningAlg;
      assert.equal(verifyCompact(decodeCompact(token)!, other, publicKey), undefined, 'the key decides the alg, not the header');
      const swapped = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${body}.${signature}`;
      assert.equal(verifyCompact(decodeCompact(swapped)!, alg, publicKey), undefined);
      const widened = `${header}.${Buffer.from(JSON.stringify({ ...payload, scope: 'everything' })).toString('base64url')}.${signature}`;
      assert.equal(verifyCompact(decodeCompact(widened)!, alg, publicKey), undefined);
      const flipped = `${header}.${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      assert.equal(verifyCompact(decodeCompact(flipped)!, alg, publicKey), undefined);
      assert.equal(verifyCompact(decodeCompact(token)!, alg, keyPair(alg).publicKey), undefined);
    });

    it('does not decode lookalikes: padding, non-base64url characters, wrong part counts, non-objects', () => {
      const token = signCompact({ alg }, payload, privateKey);
      const [header, body, signature] = token.split('.') as [string, string, string];
      // A character whose low byte is a valid base64url letter must not pass for it.
      for (const bad of [`${header}.${body}=.${signature}`, `${header}.${body}\u0141.${signature}`, `${header}.${body}.`, `${header}.${body}`, `${token}.x`, 'a.b.c', '']) {
        const decoded = decodeCompact(bad);
        assert.ok(decoded === undefined || verifyCompact(decoded, alg, publicKey) === undefined, JSON.stringify(bad));
      }
      const arrayHeader = `${Buffer.from('[1]').toString('base64url')}.${body}.${signature}`;
      assert.equal(decodeCompact(arrayHeader), undefined);
    });
  });
}
