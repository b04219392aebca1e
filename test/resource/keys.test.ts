// Key rotation as a resource server sees it: a new kid makes the verifier fetch the JWKS again,
// but at most once per cooldown however many unknown kids arrive; a key the server stops
// publishing stops verifying tokens, remembered ones included.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createVerifier, type Verifier, type VerifyResult } from '@gatehouse/resource';
import { AUDIENCE, FakeAuthorizationServer } from './fake-authorization-server.ts';
import { createKey } from './fake-signer.ts';

const reasonOf = (result: VerifyResult) => (result.ok ? 'ok' : result.reason);

describe('JWKS: rotation, the unknown-kid cooldown, retired keys', { timeout: 30_000 }, () => {
  let fake: FakeAuthorizationServer;
  let verifier: Verifier;
  let clock = Date.now();

  before(async () => {
    fake = await FakeAuthorizationServer.start();
    verifier = createVerifier({ issuer: fake.issuer, audience: AUDIENCE, revocation: 'none', now: () => clock });
    await verifier.start();
  });
  after(async () => {
    await verifier.close();
    await fake.close();
  });

  it('fetches the keys once at startup and not again for known kids', async () => {
    assert.equal(fake.calls.discovery, 1);
    assert.equal(fake.calls.jwks, 1);
    for (let i = 0; i < 5; i += 1) assert.equal(reasonOf(await verifier.verify(await fake.mint())), 'ok');
    assert.equal(fake.calls.jwks, 1);
  });

  it('fetches again for the kid of a key rotated in, and accepts its tokens', async () => {
    const rotated = await createKey('RS256');
    fake.published.push(rotated);
    clock += 31_000; // beyond the cooldown of the startup fetch
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ key: rotated }))), 'ok');
    assert.equal(fake.calls.jwks, 2);
    assert.equal(reasonOf(await verifier.verify(await fake.mint())), 'ok', 'the old key still verifies');
  });

  it('a flood of forged kids costs at most one fetch per cooldown', async () => {
    clock += 31_000;
    const before = fake.calls.jwks;
    const forged = await Promise.all(Array.from({ length: 50 }, (_, i) => fake.mint({ header: { kid: `forged-${i}` } })));
    const results = await Promise.all(forged.map((token) => verifier.verify(token)));
    assert.ok(results.every((r) => reasonOf(r) === 'unknown_key'));
    assert.equal(fake.calls.jwks, before + 1);
    // Within the cooldown even a real new key waits: the price of not being a fetch amplifier.
    const late = await createKey('ES256');
    fake.published.push(late);
    const token = await fake.mint({ key: late });
    clock += 10_000;
    assert.equal(reasonOf(await verifier.verify(token)), 'unknown_key');
    assert.equal(fake.calls.jwks, before + 1);
    clock += 21_000;
    assert.equal(reasonOf(await verifier.verify(token)), 'ok');
    assert.equal(fake.calls.jwks, before + 2);
  });

  it('refuses a key of the wrong type for its alg, and keys the server no longer publishes', async () => {
    const rsa = fake.published[0];
    assert.ok(rsa);
    const token = await fake.mint();
    assert.equal(reasonOf(await verifier.verify(token)), 'ok');
    // An ES256 header naming the RSA key's kid: jose would refuse the mismatch; the kit never imports it.
    const mismatched = await fake.mint({ key: fake.published.find((k) => k.alg === 'ES256'), header: { kid: rsa.kid } });
    assert.equal(reasonOf(await verifier.verify(mismatched)), 'unknown_key');
    // Retire the first key; once the keys are older than maxAge (600 s) they are fetched in the background.
    fake.published = fake.published.slice(1);
    clock += 601_000;
    const jwksBefore = fake.calls.jwks;
    await verifier.verify(token); // starts the refresh; this answer may still use the keys held
    for (let i = 0; i < 50 && fake.calls.jwks === jwksBefore; i += 1) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(reasonOf(await verifier.verify(token)), 'unknown_key', 'a remembered token dies with its key');
    assert.equal(verifier.status().keys, fake.published.length);
  });
});
