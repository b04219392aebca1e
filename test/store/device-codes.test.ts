// Device codes in the store: polls remember a grown interval, a person decides once, a code is
// redeemed once even under concurrent redemptions, and expired rows go (their families with care).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { BUILT_IN_RESOURCE_ID } from '../../src/domain/resource-server.ts';
import type { NewDeviceCode } from '../../src/domain/device-code.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachStore, seedAccount, type Account } from '../helpers/stores.ts';

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
let serial = 0;
const unique = (prefix: string) => `${prefix}${(++serial).toString().padStart(8, '0')}`;

async function issue(store: Store, account: Account, overrides: Partial<NewDeviceCode> = {}): Promise<NewDeviceCode> {
  const code: NewDeviceCode = {
    deviceCodeHash: unique('device-hash-'),
    userCodeHash: unique('user-hash-'),
    appId: account.app.id,
    scope: 'profile offline_access',
    resources: [{ resourceId: BUILT_IN_RESOURCE_ID, scope: 'profile' }],
    interval: 5,
    createdAt: T0,
    expiresAt: at(600),
    ...overrides,
  };
  assert.equal(await store.deviceCodes.issue(code), true);
  return code;
}

const familyFor = (account: Account, id = unique('family-')) => ({ id, appId: account.app.id, userId: account.user.id, scope: 'profile offline_access', resources: [{ resourceId: BUILT_IN_RESOURCE_ID, scope: 'profile' }], confidential: false, createdAt: at(10) });

forEachStore('store: device codes', (kind) => {
  let store: Store;
  let account: Account;
  let other: Account;
  before(async () => {
    store = await kind.open();
    account = await seedAccount(store);
    other = await seedAccount(store);
  });
  after(() => store.close());

  it('refuses a second code with a user code already taken, storing nothing', async () => {
    const first = await issue(store, account);
    assert.equal(await store.deviceCodes.issue({ ...first, deviceCodeHash: unique('device-hash-') }), false);
    const found = await store.deviceCodes.byUserCode(first.userCodeHash);
    assert.equal(found?.deviceCodeHash, first.deviceCodeHash);
    assert.equal(found?.status, 'pending');
  });

  it('grows the interval by the step when polled too soon, and remembers it', async () => {
    const code = await issue(store, account);
    const first = await store.deviceCodes.poll(code.deviceCodeHash, account.app.id, at(5), 5);
    assert.equal(first.status === 'polled' && first.tooSoon, false);
    const fast = await store.deviceCodes.poll(code.deviceCodeHash, account.app.id, at(7), 5);
    assert.ok(fast.status === 'polled' && fast.tooSoon && fast.code.interval === 10);
    // 10 s now: 9 s after the last poll is still too soon, and the interval grows again.
    const again = await store.deviceCodes.poll(code.deviceCodeHash, account.app.id, at(16), 5);
    assert.ok(again.status === 'polled' && again.tooSoon && again.code.interval === 15);
    const patient = await store.deviceCodes.poll(code.deviceCodeHash, account.app.id, at(31), 5);
    assert.ok(patient.status === 'polled' && !patient.tooSoon && patient.code.interval === 15);
  });

  it("answers another client's poll without touching the code, and an unknown hash as unknown", async () => {
    const code = await issue(store, account);
    await store.deviceCodes.poll(code.deviceCodeHash, account.app.id, at(5), 5);
    assert.deepEqual(await store.deviceCodes.poll(code.deviceCodeHash, other.app.id, at(6), 5), { status: 'other_client' });
    const next = await store.deviceCodes.poll(code.deviceCodeHash, account.app.id, at(10), 5);
    assert.ok(next.status === 'polled' && !next.tooSoon && next.code.interval === 5);
    assert.deepEqual(await store.deviceCodes.poll('nope', account.app.id, at(10), 5), { status: 'unknown' });
  });

  it('approves a pending code once, with its family; a second decision changes nothing', async () => {
    const code = await issue(store, account);
    const family = familyFor(account);
    const approved = await store.deviceCodes.approve(code.userCodeHash, account.user.id, family, at(10));
    assert.equal(approved?.status, 'approved');
    assert.equal(approved?.userId, account.user.id);
    assert.equal(approved?.familyId, family.id);
    assert.equal((await store.families.byId(family.id))?.userId, account.user.id);
    assert.equal(await store.deviceCodes.deny(code.userCodeHash, account.user.id, at(11)), undefined);
    assert.equal(await store.deviceCodes.approve(code.userCodeHash, account.user.id, familyFor(account), at(11)), undefined);
    assert.equal((await store.deviceCodes.byUserCode(code.userCodeHash))?.status, 'approved');
  });

  it('does not approve or deny an expired code', async () => {
    const code = await issue(store, account);
    const family = familyFor(account);
    assert.equal(await store.deviceCodes.approve(code.userCodeHash, account.user.id, family, at(600)), undefined);
    assert.equal(await store.families.byId(family.id), undefined);
    assert.equal(await store.deviceCodes.deny(code.userCodeHash, account.user.id, at(601)), undefined);
  });

  it('redeems an approved code exactly once, even when redemptions race', async () => {
    const code = await issue(store, account);
    const family = familyFor(account);
    await store.deviceCodes.approve(code.userCodeHash, account.user.id, family, at(10));
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.deviceCodes.redeem(code.deviceCodeHash, at(20), {
          confidential: false,
          refreshToken: { tokenHash: unique(`rt-${i}-`), familyId: family.id, appId: account.app.id, userId: account.user.id, scope: 'profile offline_access', createdAt: at(20), expiresAt: at(86400) },
          maxLivePerAppUser: 10,
        }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'redeemed').length, 1);
    assert.equal(results.filter((r) => r.status === 'refused').length, 7);
    assert.equal((await store.deviceCodes.byUserCode(code.userCodeHash))?.status, 'redeemed');
  });

  it('refuses to redeem a pending, denied or expired code, and reports a revoked family', async () => {
    const pending = await issue(store, account);
    assert.equal((await store.deviceCodes.redeem(pending.deviceCodeHash, at(20), { confidential: false, maxLivePerAppUser: 10 })).status, 'refused');
    const denied = await issue(store, account);
    await store.deviceCodes.deny(denied.userCodeHash, account.user.id, at(10));
    assert.equal((await store.deviceCodes.redeem(denied.deviceCodeHash, at(20), { confidential: false, maxLivePerAppUser: 10 })).status, 'refused');
    const late = await issue(store, account);
    await store.deviceCodes.approve(late.userCodeHash, account.user.id, familyFor(account), at(10));
    assert.equal((await store.deviceCodes.redeem(late.deviceCodeHash, at(600), { confidential: false, maxLivePerAppUser: 10 })).status, 'refused');
    const revoked = await issue(store, account);
    const family = familyFor(account);
    await store.deviceCodes.approve(revoked.userCodeHash, account.user.id, family, at(10));
    await store.families.revoke(family.id, 'revoked_by_user', at(11));
    assert.equal((await store.deviceCodes.redeem(revoked.deviceCodeHash, at(20), { confidential: false, maxLivePerAppUser: 10 })).status, 'revoked');
  });

  it('purges codes expired before the cut-off, keeping the families of the rest', async () => {
    const fresh = await seedAccount(store);
    const old = await issue(store, fresh, { expiresAt: at(600) });
    const family = familyFor(fresh);
    await store.deviceCodes.approve(old.userCodeHash, fresh.user.id, family, at(10));
    // An hour and more later, housekeeping's own purge must not trip over the code's family.
    await store.housekeeping.purge(at(3 * 3600));
    assert.ok(await store.families.byId(family.id));
    assert.ok((await store.deviceCodes.purge(at(700))) >= 1);
    assert.equal(await store.deviceCodes.byUserCode(old.userCodeHash), undefined);
    await store.housekeeping.purge(at(3 * 3600));
    assert.equal(await store.families.byId(family.id), undefined);
  });

  it("goes with its app when the app is deleted", async () => {
    const doomed = await seedAccount(store);
    const code = await issue(store, doomed);
    await store.deviceCodes.approve(code.userCodeHash, doomed.user.id, familyFor(doomed), at(10));
    assert.ok(await store.apps.delete(doomed.app.id, at(20)));
    assert.equal(await store.deviceCodes.byUserCode(code.userCodeHash), undefined);
  });
});
