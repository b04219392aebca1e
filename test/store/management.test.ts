// The store operations behind the console: listing and changing apps and users, icons, a user's
// connections, revoking families by owner, and deleting an app with everything it was issued.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { RevokedFamilies } from '../../src/store/sql/revoked-families.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachStore, seedAccount, type Account } from '../helpers/stores.ts';

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
let serial = 0;
const unique = (prefix: string) => `${prefix}${(++serial).toString().padStart(8, '0')}`;

/** A token family with a code and a refresh token, as a redeemed authorization leaves it. */
async function family(store: Store, account: Account, userId = account.user.id): Promise<{ familyId: string; tokenHash: string }> {
  const familyId = unique('family-');
  const code = { codeHash: unique('code-'), appId: account.app.id, userId, redirectUri: 'https://app.example.com/cb', scope: 'profile', codeChallenge: null, familyId, createdAt: T0, expiresAt: at(120) };
  await store.codes.issue(code, { id: familyId, appId: account.app.id, userId, scope: 'profile', confidential: true, createdAt: T0 });
  const tokenHash = unique('token-');
  await store.refreshTokens.issue({ tokenHash, familyId, appId: account.app.id, userId, scope: 'profile', createdAt: T0, expiresAt: at(86400) }, 10, T0);
  return { familyId, tokenHash };
}

forEachStore('store: managing apps, users and connections', (kind) => {
  let store: Store;
  let account: Account;
  let other: Account;
  before(async () => {
    store = await kind.open();
    account = await seedAccount(store, T0);
    other = await seedAccount(store, at(1));
  });
  after(() => store.close());

  it("lists a tenant's apps, or every app, newest first", async () => {
    assert.deepEqual((await store.apps.list(account.tenant.id)).map((a) => a.id), [account.app.id]);
    assert.deepEqual((await store.apps.list()).map((a) => a.id), [other.app.id, account.app.id]);
  });

  it('changes only what it is given and stamps updatedAt', async () => {
    const updated = await store.apps.update(account.app.id, { description: 'Syncs things', redirectUris: ['https://app.example.com/a', 'https://app.example.com/b'], verified: true }, at(50));
    assert.ok(updated);
    assert.equal(updated.description, 'Syncs things');
    assert.deepEqual(updated.redirectUris, ['https://app.example.com/a', 'https://app.example.com/b']);
    assert.equal(updated.verified, true);
    assert.equal(updated.name, account.app.name);
    assert.equal(updated.clientSecretHash, account.app.clientSecretHash);
    assert.equal(updated.refreshRotation, account.app.refreshRotation);
    assert.deepEqual(updated.updatedAt, at(50));
    assert.equal(await store.apps.update(999_999, { verified: true }, at(50)), undefined);
  });

  it('stores, replaces and removes an icon', async () => {
    assert.equal(await store.apps.icon(account.app.id), undefined);
    await store.apps.setIcon(account.app.id, Buffer.from([1, 2, 3]), at(60));
    await store.apps.setIcon(account.app.id, Buffer.from([4, 5]), at(61));
    assert.deepEqual(await store.apps.icon(account.app.id), { png: Buffer.from([4, 5]), updatedAt: at(61) });
    assert.deepEqual((await store.apps.byId(account.app.id))?.iconUpdatedAt, at(61));
    await store.apps.setIcon(account.app.id, null, at(62));
    assert.equal(await store.apps.icon(account.app.id), undefined);
    assert.equal((await store.apps.byId(account.app.id))?.iconUpdatedAt, null);
  });

  it("lists a user's connections with their apps and forgets one", async () => {
    await store.grants.upsert({ userId: account.user.id, appId: account.app.id, scope: 'profile', clientDescription: 'Firefox, Mac' }, at(70), (_a, b) => b);
    await store.grants.upsert({ userId: account.user.id, appId: other.app.id, scope: 'alert-sources:r', clientDescription: 'Chrome, Linux' }, at(71), (_a, b) => b);
    const connections = await store.grants.listForUser(account.user.id);
    assert.deepEqual(connections.map((c) => [c.appName, c.clientDescription, c.scope]), [
      [other.app.name, 'Chrome, Linux', 'alert-sources:r'],
      [account.app.name, 'Firefox, Mac', 'profile'],
    ]);
    assert.equal(connections[1]?.appClientId, account.app.clientId);
    assert.equal(await store.grants.delete(account.user.id, other.app.id), true);
    assert.equal(await store.grants.delete(account.user.id, other.app.id), false);
    assert.equal((await store.grants.listForUser(account.user.id)).length, 1);
  });

  it('revokes the families of one user and app, of an app, or of a user — and nothing else', async () => {
    const mine = await family(store, account);
    const second = await store.users.create({ tenantId: account.tenant.id, username: unique('u'), passwordHash: 'x', email: 'x@example.com', firstName: 'X', lastName: 'Y', role: 'USER' }, T0);
    const theirs = await family(store, account, second.id);
    const elsewhere = await family(store, other);

    assert.deepEqual(await store.families.revokeWhere({ appId: account.app.id, userId: account.user.id }, 'revoked_by_user', at(80)), [mine.familyId]);
    assert.equal(await store.families.isRevoked(mine.familyId), true);
    assert.notEqual((await store.refreshTokens.byHash(mine.tokenHash))?.revokedAt, null);
    assert.equal(await store.families.isRevoked(theirs.familyId), false);
    assert.deepEqual(await store.families.revokeWhere({ appId: account.app.id, userId: account.user.id }, 'revoked_by_user', at(81)), [], 'revoking twice finds nothing live');

    assert.deepEqual(await store.families.revokeWhere({ userId: second.id }, 'user_disabled', at(82)), [theirs.familyId]);
    assert.equal(await store.families.isRevoked(elsewhere.familyId), false);
    assert.deepEqual(await store.families.revokeWhere({ appId: other.app.id }, 'secret_rotated', at(83)), [elsewhere.familyId]);
    await assert.rejects(store.families.revokeWhere({}, 'revoked_by_user', at(84)), RangeError);
  });

  it('reads a refresh token with its family in one step', async () => {
    const issued = await family(store, account);
    const found = await store.refreshTokens.withFamily(issued.tokenHash);
    assert.equal(found?.token.tokenHash, issued.tokenHash);
    assert.deepEqual(found?.family, await store.families.byId(issued.familyId));
    await store.families.revoke(issued.familyId, 'revoked_by_client', at(86));
    const revoked = await store.refreshTokens.withFamily(issued.tokenHash);
    assert.deepEqual(revoked?.family.revokedAt, at(86));
    assert.deepEqual(revoked?.token.revokedAt, at(86));
    assert.equal(await store.refreshTokens.withFamily('no-such-token'), undefined);
  });

  it("reads a live family's user in one step, and nothing for a revoked or missing family", async () => {
    const live = await family(store, account);
    const user = await store.families.liveUser(live.familyId);
    assert.equal(user?.id, account.user.id);
    assert.equal(user && 'passwordHash' in user, false);
    await store.families.revoke(live.familyId, 'revoked_by_client', at(85));
    assert.equal(await store.families.liveUser(live.familyId), undefined);
    assert.equal(await store.families.liveUser('no-such-family'), undefined);
  });

  it("reads a live family's user id and state in one step, and nothing for a revoked or missing family", async () => {
    const live = await family(store, account);
    assert.deepEqual(await store.families.liveSubject(live.familyId), { id: account.user.id, disabled: false });
    await store.users.update(account.user.id, { disabled: true }, at(84));
    assert.deepEqual(await store.families.liveSubject(live.familyId), { id: account.user.id, disabled: true });
    await store.users.update(account.user.id, { disabled: false }, at(84));
    await store.families.revoke(live.familyId, 'revoked_by_client', at(85));
    assert.equal(await store.families.liveSubject(live.familyId), undefined);
    assert.equal(await store.families.liveSubject('no-such-family'), undefined);
  });

  it('deletes an app with its codes, families, refresh tokens, grants and icon', async () => {
    const doomed = await seedAccount(store, at(90));
    const issued = await family(store, doomed);
    await store.grants.upsert({ userId: doomed.user.id, appId: doomed.app.id, scope: 'profile', clientDescription: '' }, at(91), (_a, b) => b);
    await store.apps.setIcon(doomed.app.id, Buffer.from([9]), at(92));

    assert.deepEqual(await store.apps.delete(doomed.app.id), [issued.familyId]);
    assert.equal(await store.apps.byId(doomed.app.id), undefined);
    assert.equal(await store.apps.byClientId(doomed.app.clientId), undefined);
    assert.equal(await store.families.isRevoked(issued.familyId), true, 'its access tokens die with the family');
    assert.equal(await store.refreshTokens.byHash(issued.tokenHash), undefined);
    assert.equal(await store.grants.find(doomed.user.id, doomed.app.id), undefined);
    assert.equal(await store.apps.icon(doomed.app.id), undefined);
    assert.equal(await store.apps.delete(doomed.app.id), undefined);
    const again = await store.apps.create({ ...doomed.app, clientId: unique('c').slice(0, 20) }, at(93));
    assert.equal(again.name, doomed.app.name, 'the name is free again');
  });

  it("lists a tenant's users and changes role, disabled and platform-admin flags", async () => {
    const users = await store.users.listByTenant(account.tenant.id);
    assert.ok(users.some((u) => u.id === account.user.id));
    assert.ok(users.every((u) => u.tenantId === account.tenant.id && !('passwordHash' in u)));
    const changed = await store.users.update(account.user.id, { role: 'ADMIN', platformAdmin: true }, at(100));
    assert.equal(changed?.role, 'ADMIN');
    assert.equal(changed?.platformAdmin, true);
    assert.equal(changed?.disabled, false);
    assert.equal((await store.users.update(account.user.id, { disabled: true }, at(101)))?.disabled, true);
    assert.equal((await store.users.byId(account.user.id))?.platformAdmin, true);
  });

  it('ends every session of a user', async () => {
    const ended = [unique('s'), unique('s')];
    for (const idHash of ended) await store.sessions.create({ idHash, tenantId: other.tenant.id, userId: other.user.id, createdAt: T0, expiresAt: at(3600) });
    const kept = unique('kept');
    await store.sessions.create({ idHash: kept, tenantId: account.tenant.id, userId: account.user.id, createdAt: T0, expiresAt: at(3600) });
    await store.sessions.deleteForUser(other.user.id);
    for (const idHash of ended) assert.equal(await store.sessions.byIdHash(idHash, at(1)), undefined);
    assert.ok(await store.sessions.byIdHash(kept, at(1)));
  });
});

it('the revoked-family cache keeps at most its capacity, forgetting the oldest first', () => {
  const cache = new RevokedFamilies(3);
  cache.add(['a', 'b', 'c']);
  cache.add(['a']); // touched: now the newest
  cache.add(['d']);
  assert.equal(cache.size, 3);
  assert.equal(cache.has('b'), false);
  assert.deepEqual(['a', 'c', 'd'].map((id) => cache.has(id)), [true, true, true]);
});
