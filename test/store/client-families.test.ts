// The store's part of client_credentials and of disabling apps: an app's own family per resource
// is claimed once and reused (its scope following the service scopes, its tokens_until never
// lowered), never for a disabled or deleted app; disabling revokes every live family of the app
// in the same transaction, idempotently, and enabling revives none.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { BUILT_IN_RESOURCE_ID } from '../../src/domain/resource-server.ts';
import type { ClientFamilyClaim } from '../../src/store/client-families-contract.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachStore, seedAccount, type Account } from '../helpers/stores.ts';

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
let serial = 0;

forEachStore('store: client families and disabling', (kind) => {
  let store: Store;
  let account: Account;
  beforeEach(async () => {
    store = await kind.open();
    account = await seedAccount(store, T0);
  });
  afterEach(() => store.close());

  const claim = (over: Partial<ClientFamilyClaim> = {}) =>
    store.clientFamilies.claim({ appId: account.app.id, resourceId: BUILT_IN_RESOURCE_ID, scope: 'source', newFamilyId: `fam-${++serial}`, now: T0, tokensUntil: at(3600), ...over });

  it('claims one family per app and resource and reuses it, its scope following the service scopes', async () => {
    const first = await claim();
    assert.ok(first);
    assert.equal(await claim({ scope: 'source:w' }), first);
    const family = await store.families.byId(first);
    assert.equal(family?.userId, null);
    assert.equal(family?.confidential, true);
    assert.equal(family?.scope, 'source:w');
    assert.deepEqual(family?.resources, [{ resourceId: BUILT_IN_RESOURCE_ID, scope: 'source:w' }]);
    const many = await Promise.all(Array.from({ length: 5 }, () => claim()));
    assert.deepEqual(new Set(many), new Set([first]), 'concurrent claims share it');

    await store.families.revoke(first, 'revoked_by_client', T0);
    const next = await claim();
    assert.ok(next && next !== first, 'a revoked family is not reused');
  });

  it("keeps the family until its latest token's expiry, never earlier", async () => {
    const id = await claim({ tokensUntil: at(3600) });
    await claim({ now: at(3000), tokensUntil: at(6600) });
    await claim({ now: at(3000), tokensUntil: at(5000) }); // a shorter-lived token does not shorten it
    await store.housekeeping.purge(at(6000), 100, { accessTokenLifetimeSeconds: 3600 });
    assert.ok(await store.families.byId(String(id)), 'kept while a token it minted lives');
    await store.housekeeping.purge(at(6601), 100, { accessTokenLifetimeSeconds: 3600 });
    assert.equal(await store.families.byId(String(id)), undefined);
  });

  it('claims nothing for a disabled or deleted app', async () => {
    assert.deepEqual(await store.apps.setDisabled(account.app.id, T0, T0), []);
    assert.equal(await claim(), undefined);
    assert.deepEqual(await store.apps.setDisabled(account.app.id, null, T0), []);
    assert.ok(await claim());
    await store.apps.delete(account.app.id, T0);
    assert.equal(await claim(), undefined);
    assert.equal(await store.apps.setDisabled(account.app.id, T0, T0), undefined, 'no such app');
  });

  it('disabling revokes every live family of the app, users\' and its own, once; the first date stays', async () => {
    const own = String(await claim());
    await store.families.create({ id: 'fam-user', appId: account.app.id, userId: account.user.id, scope: 'profile', confidential: false, createdAt: T0 });
    const other = await seedAccount(store, T0);
    await store.families.create({ id: 'fam-other', appId: other.app.id, userId: other.user.id, scope: 'profile', confidential: false, createdAt: T0 });

    assert.deepEqual(new Set(await store.apps.setDisabled(account.app.id, at(10), at(10))), new Set([own, 'fam-user']));
    assert.equal((await store.families.byId(own))?.revokedAt?.getTime(), at(10).getTime());
    assert.equal(await store.families.isRevoked('fam-other'), false, "another app's families live on");
    assert.deepEqual(await store.apps.setDisabled(account.app.id, at(20), at(20)), [], 'nothing left to revoke');
    assert.equal((await store.apps.byId(account.app.id))?.disabledAt?.getTime(), at(10).getTime(), 'disabled since the first time');
    await store.apps.setDisabled(account.app.id, null, at(30));
    assert.equal((await store.apps.byId(account.app.id))?.disabledAt, null);
    assert.equal(await store.families.isRevoked(own), true, 'enabling revives nothing');
  });

  it("revokes the app's own families for the resources named, leaving its users' and other resources'", async () => {
    const builtIn = String(await claim());
    const server = await store.resourceServers.create({ identifier: 'https://notes.example/api', name: 'Notes', description: '', scopes: [{ kind: 'family', name: 'notes', noun: 'Notes' }], accessTokenLifetime: 600, clientId: 'rs_x', clientSecretHash: 'a'.repeat(64) }, T0);
    assert.ok(server);
    const notes = String(await claim({ resourceId: server.id, scope: 'notes' }));
    assert.notEqual(notes, builtIn);
    await store.families.create({ id: 'fam-jane', appId: account.app.id, userId: account.user.id, scope: 'source', confidential: false, createdAt: T0 });
    assert.deepEqual(await store.clientFamilies.revokeForResources(account.app.id, [BUILT_IN_RESOURCE_ID], 'service_scopes_narrowed', T0), [builtIn]);
    assert.equal(await store.families.isRevoked(notes), false);
    assert.equal(await store.families.isRevoked('fam-jane'), false);
    await store.revocationFeed.sequence();
    const entries = await store.revocationFeed.after(BUILT_IN_RESOURCE_ID, 0, 10);
    assert.deepEqual(entries.map((e) => [e.familyId, e.reason]), [[builtIn, 'service_scopes_narrowed']]);
  });
});
