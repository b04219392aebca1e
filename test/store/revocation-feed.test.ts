// The feed's store: entries per resource written by revocations, put in order once sequenced,
// read after a cursor or since a time, and pruned.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { forEachStore, seedAccount } from '../helpers/stores.ts';

forEachStore('revocation feed store', (kind) => {
  let store: Store;
  before(async () => {
    store = await kind.open();
  });
  after(() => store.close());

  it('writes one entry per resource of a family when it is revoked, once, and orders them when sequenced', async () => {
    const { user, app } = await seedAccount(store);
    const now = new Date('2030-01-01T00:00:00Z');
    const other = await store.resourceServers.create({ identifier: `https://r-${kind.name}.example.com`, name: 'R', description: '', scopes: [{ kind: 'plain', name: 'x', description: 'X' }], accessTokenLifetime: 600, clientId: `rs_${kind.name}`, clientSecretHash: 'h'.repeat(64) }, now);
    assert.ok(other);
    const head = await store.revocationFeed.sequence();
    const both = [{ resourceId: 1, scope: 'profile' }, { resourceId: other.id, scope: 'x' }];
    await store.families.create({ id: `f1-${kind.name}`, appId: app.id, userId: user.id, scope: 'profile x', resources: both, confidential: true, createdAt: now });
    await store.families.create({ id: `f2-${kind.name}`, appId: app.id, userId: user.id, scope: 'x', resources: [{ resourceId: other.id, scope: 'x' }], confidential: true, createdAt: now });
    await store.families.revoke(`f1-${kind.name}`, 'revoked_by_user', now);
    await store.families.revoke(`f1-${kind.name}`, 'revoked_by_client', now);
    await store.families.revoke(`f2-${kind.name}`, 'code_replay', new Date(now.getTime() + 1000));
    assert.deepEqual(await store.revocationFeed.after(other.id, head, 10), [], 'not in the feed before it is sequenced');
    const top = await store.revocationFeed.sequence();
    assert.equal(top, head + 3);
    const forOther = await store.revocationFeed.after(other.id, head, 10);
    assert.deepEqual(forOther.map((e) => [e.familyId, e.reason]), [[`f1-${kind.name}`, 'revoked_by_user'], [`f2-${kind.name}`, 'code_replay']]);
    assert.ok(forOther[0]!.seq < forOther[1]!.seq);
    assert.deepEqual((await store.revocationFeed.after(1, head, 10)).map((e) => e.familyId), [`f1-${kind.name}`]);
    assert.deepEqual((await store.revocationFeed.after(other.id, forOther[0]!.seq, 10)).map((e) => e.familyId), [`f2-${kind.name}`]);
    assert.deepEqual((await store.revocationFeed.since(other.id, new Date(now.getTime() + 500), 10)).map((e) => e.familyId), [`f2-${kind.name}`]);
    assert.equal(await store.revocationFeed.sequence(), top, 'sequencing again changes nothing');

    assert.equal(await store.revocationFeed.prune(new Date(now.getTime() + 500)), 2);
    assert.deepEqual((await store.revocationFeed.after(other.id, head, 10)).map((e) => e.familyId), [`f2-${kind.name}`]);
    assert.equal(await store.revocationFeed.prune(new Date(now.getTime() + 86_400_000)), 0, 'the newest entry stays: it holds the head');
    assert.equal(await store.revocationFeed.latest(), top);
  });
});
