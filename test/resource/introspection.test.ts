// revocation: 'introspection': the verifier asks RFC 7662 introspection with the resource's
// credentials, reuses an answer for 10 s (so a revoked token works at most that long), shares one
// call among concurrent requests, and refuses (503) when it cannot ask.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createVerifier, type Verifier, type VerifyResult } from '@gatehouse/resource';
import { AUDIENCE, FakeAuthorizationServer } from './fake-authorization-server.ts';

const reasonOf = (result: VerifyResult) => (result.ok ? 'ok' : result.reason);

describe('revocation by introspection', { timeout: 30_000 }, () => {
  let fake: FakeAuthorizationServer;
  let verifier: Verifier;
  let clock = Date.now();

  before(async () => {
    fake = await FakeAuthorizationServer.start();
    verifier = createVerifier({ issuer: fake.issuer, audience: AUDIENCE, credentials: fake.credentials, revocation: 'introspection', now: () => clock });
  });
  after(async () => {
    await verifier.close();
    await fake.close();
  });

  it('asks once per token and reuses the answer for 10 s', async () => {
    const token = await fake.mint();
    assert.equal(reasonOf(await verifier.verify(token)), 'ok');
    assert.equal(fake.calls.introspection, 1);
    assert.equal(fake.calls.feed, 0, 'no feed in this mode');
    fake.revoke(token);
    clock += 9000;
    assert.equal(reasonOf(await verifier.verify(token)), 'ok', 'the cached answer');
    assert.equal(fake.calls.introspection, 1);
    clock += 2000;
    assert.equal(reasonOf(await verifier.verify(token)), 'inactive');
    assert.equal(fake.calls.introspection, 2);
    const refused = await verifier.authenticate({ authorization: `Bearer ${token}` });
    assert.ok(!refused.ok && refused.status === 401 && refused.error === 'invalid_token');
  });

  it('shares one call among concurrent requests with one token', async () => {
    const token = await fake.mint();
    const before = fake.calls.introspection;
    const results = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)));
    assert.ok(results.every((r) => r.ok));
    assert.equal(fake.calls.introspection, before + 1);
  });

  it('sends nothing to introspection for a token that fails the local checks', async () => {
    const before = fake.calls.introspection;
    assert.equal(reasonOf(await verifier.verify(await fake.mint({ claims: { aud: 'https://other.example/api' } }))), 'wrong_audience');
    assert.equal(fake.calls.introspection, before);
  });

  it('refuses with 503 when introspection cannot be asked, without caching that', async () => {
    fake.introspectionDown = true;
    const token = await fake.mint();
    const refused = await verifier.authenticate({ authorization: `Bearer ${token}` });
    assert.ok(!refused.ok && refused.status === 503 && refused.reason === 'unavailable');
    fake.introspectionDown = false;
    assert.equal(reasonOf(await verifier.verify(token)), 'ok');
    const status = verifier.status().revocation;
    assert.ok(status?.mode === 'introspection' && status.errors === 1);
  });
});
