// Revocation through the feed: a revoked token is refused within a second of the server recording
// it; the startup snapshot, paging (has_more), a cursor the server forgot, resource_deleted, bad
// credentials, an unreachable feed (fail closed after a while), pruning, and close().
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { AuthorizationServerError, createVerifier, type Verifier, type VerifierOptions, type VerifyResult } from '@gatehouse/resource';
import { AUDIENCE, FakeAuthorizationServer } from './fake-authorization-server.ts';
import { delay, until } from './helpers.ts';

const reasonOf = (result: VerifyResult) => (result.ok ? 'ok' : result.reason);
const feedStatus = (verifier: Verifier) => {
  const status = verifier.status().revocation;
  assert.ok(status?.mode === 'feed');
  return status;
};

describe('the revocation feed', { timeout: 60_000 }, () => {
  const fakes: FakeAuthorizationServer[] = [];
  const verifiers: Verifier[] = [];
  after(async () => {
    await Promise.all(verifiers.map((v) => v.close()));
    await Promise.all(fakes.map((f) => f.close()));
  });
  async function setup(options: Partial<VerifierOptions> = {}, prepare?: (fake: FakeAuthorizationServer) => Promise<void>) {
    const fake = await FakeAuthorizationServer.start();
    fakes.push(fake);
    await prepare?.(fake);
    const verifier = createVerifier({ issuer: fake.issuer, audience: AUDIENCE, credentials: fake.credentials, ...options });
    verifiers.push(verifier);
    return { fake, verifier };
  }

  it('refuses a revoked token within a second of the server recording it; its family only', async () => {
    const { fake, verifier } = await setup();
    await verifier.start();
    const token = await fake.mint();
    const other = await fake.mint();
    assert.equal(reasonOf(await verifier.verify(token)), 'ok');
    await delay(100); // the long poll is waiting now
    const revokedAt = Date.now();
    fake.revoke(token);
    await until(async () => !(await verifier.verify(token)).ok, 2000, 'the revocation');
    const elapsed = Date.now() - revokedAt;
    assert.ok(elapsed < 1000, `refused after ${elapsed} ms`);
    const refused = await verifier.authenticate({ authorization: `Bearer ${token}` });
    assert.ok(!refused.ok);
    assert.equal(refused.reason, 'revoked');
    assert.equal(refused.status, 401);
    assert.match(refused.headers['www-authenticate'] ?? '', /error="invalid_token"/);
    assert.equal(reasonOf(await verifier.verify(other)), 'ok');
    const query = fake.feedQueries.at(-1);
    assert.equal(query?.get('wait'), '25', 'long polls wait 25 s by default');
    assert.match(query?.get('after') ?? '', /^c\d+$/);
  });

  it('starts from a snapshot of what is revoked already, following has_more page by page', async () => {
    const revoked: string[] = [];
    const { fake, verifier } = await setup({}, async (server) => {
      server.pageSize = 2;
      for (let i = 0; i < 5; i += 1) revoked.push(await server.mint());
      for (const token of revoked) server.revoke(token);
    });
    await verifier.start();
    assert.equal(fake.feedQueries[0]?.has('after'), false, 'the first call is the snapshot');
    await until(() => feedStatus(verifier).revokedFamilies === 5, 2000, 'all five pages');
    for (const token of revoked) assert.equal(reasonOf(await verifier.verify(token)), 'revoked');
    assert.equal(fake.feedQueries[1]?.get('wait'), '0', 'has_more: asked again without waiting');
    assert.equal(reasonOf(await verifier.verify(await fake.mint())), 'ok');
  });

  it('starts over from a snapshot when the server no longer knows the cursor', async () => {
    const { fake, verifier } = await setup();
    await verifier.start();
    fake.rejectNextCursor = true;
    const token = await fake.mint();
    fake.revoke(token); // wakes the long poll; the next call with the cursor gets 400
    await until(() => fake.feedQueries.filter((q) => !q.has('after')).length === 2, 3000, 'a second snapshot');
    assert.equal(reasonOf(await verifier.verify(token)), 'revoked');
    await until(() => feedStatus(verifier).state === 'live');
  });

  it('refuses every token once the feed says resource_deleted', async () => {
    const { fake, verifier } = await setup();
    const token = await fake.mint();
    assert.equal(reasonOf(await verifier.verify(token)), 'ok', 'started lazily by the first verify');
    fake.deleteResource();
    await until(() => feedStatus(verifier).state === 'deleted');
    const result = await verifier.verify(await fake.mint());
    assert.equal(reasonOf(result), 'resource_deleted');
    assert.equal(result.ok ? 0 : result.status, 401);
    const calls = fake.calls.feed;
    await delay(300);
    assert.equal(fake.calls.feed, calls, 'the feed is not asked again');
  });

  it('with bad credentials reports invalid_client and refuses tokens (503) until the feed has answered', async () => {
    const errors: unknown[] = [];
    const { fake, verifier } = await setup({ credentials: { clientId: 'rs_00000000000000000000', clientSecret: 'wrong' }, onError: (e) => errors.push(e) });
    await verifier.start();
    const result = await verifier.verify(await fake.mint());
    assert.equal(reasonOf(result), 'unavailable');
    assert.equal(result.ok ? 0 : result.status, 503);
    const first = errors[0];
    assert.ok(first instanceof AuthorizationServerError && first.status === 401 && first.code === 'invalid_client');
    assert.equal(feedStatus(verifier).state, 'failing');
    // failClosedAfterSeconds: Infinity trusts tokens whatever the feed says.
    const open = createVerifier({ issuer: fake.issuer, audience: AUDIENCE, credentials: { clientId: 'rs_x', clientSecret: 'y' }, revocation: { mode: 'feed', failClosedAfterSeconds: Infinity } });
    verifiers.push(open);
    assert.equal(reasonOf(await open.verify(await fake.mint())), 'ok');
  });

  it('keeps accepting tokens while the feed is briefly unreachable, refuses them once it has been too long, recovers', async () => {
    let clock = Date.now();
    const { fake, verifier } = await setup({ now: () => clock, revocation: { mode: 'feed', waitSeconds: 1, failClosedAfterSeconds: 6 } });
    await verifier.start();
    const token = await fake.mint();
    assert.equal(reasonOf(await verifier.verify(token)), 'ok');
    fake.feedDown = true;
    await until(() => feedStatus(verifier).consecutiveErrors >= 1, 3000, 'a failed call');
    assert.equal(reasonOf(await verifier.verify(token)), 'ok', 'a short outage is tolerated');
    clock += 7000;
    const refused = await verifier.authenticate({ authorization: `Bearer ${token}` });
    assert.ok(!refused.ok && refused.status === 503 && refused.headers['retry-after'] === '5');
    fake.feedDown = false;
    await until(() => feedStatus(verifier).state === 'live', 5000, 'the feed back');
    assert.equal(reasonOf(await verifier.verify(token)), 'ok');
  });

  it('forgets revocations once their tokens would have expired', async () => {
    let clock = Date.now();
    const { fake, verifier } = await setup({ now: () => clock, revocation: { mode: 'feed', waitSeconds: 1, retentionSeconds: 3600 } });
    fake.revoke(await fake.mint());
    await verifier.start();
    assert.equal(feedStatus(verifier).revokedFamilies, 1);
    clock += 3700_000;
    await until(() => feedStatus(verifier).revokedFamilies === 0, 3000, 'pruning');
  });

  it('close() ends the long poll at once and asks the feed nothing more', async () => {
    const { fake, verifier } = await setup();
    await verifier.start();
    await delay(50);
    const started = Date.now();
    await verifier.close();
    assert.ok(Date.now() - started < 500, 'close() did not wait for the long poll');
    assert.equal(feedStatus(verifier).state, 'closed');
    const calls = fake.calls.feed;
    await delay(300);
    assert.equal(fake.calls.feed, calls);
  });
});
