// The store's part of back-channel logout: which apps an ended session queues a logout token for
// (openid families of that sid, apps with a back-channel URI, once each), which of its families
// end, and claiming due deliveries: leased, so never claimed twice at once; gone with their app.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { App } from '../../src/domain/app.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachStore, seedAccount, type Account } from '../helpers/stores.ts';

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
let serial = 0;

forEachStore('store: back-channel logout', (kind) => {
  let store: Store;
  let account: Account;
  let listening: App;
  before(async () => {
    store = await kind.open();
    account = await seedAccount(store, T0);
    listening = (await store.apps.update(account.app.id, { backchannelLogoutUri: 'https://rp.example/bc' }, T0)) ?? assert.fail('updated');
  });
  after(() => store.close());

  /** A family of the account's user, signed in by the session `sid`. */
  async function family(appId: number, scope: string, sid: string): Promise<string> {
    const id = `family-${(serial += 1)}`;
    await store.families.create({ id, appId, userId: account.user.id, scope, confidential: true, createdAt: T0, session: { authTime: T0, sid, amr: ['pwd'] } });
    return id;
  }

  it('queues one delivery per app with a back-channel URI that the session signed in with openid', async () => {
    const silent = await seedAccount(store, T0);
    await family(listening.id, 'openid profile', 'sid-a');
    await family(listening.id, 'openid', 'sid-a');
    await family(listening.id, 'profile', 'sid-b');
    await family(silent.app.id, 'openid', 'sid-a');
    assert.equal(await store.logouts.enqueueForSession('sid-a', T0), 1);
    assert.equal(await store.logouts.enqueueForSession('sid-a', T0), 0, 'not twice');
    assert.equal(await store.logouts.enqueueForSession('sid-b', T0), 0, 'a plain OAuth family is no sign-in to tell of');
    const [queued] = await store.logouts.pending();
    assert.deepEqual(queued && { ...queued, id: 0 }, { id: 0, appId: listening.id, userId: account.user.id, sid: 'sid-a', attempts: 0, nextAttemptAt: T0, lastError: null, createdAt: T0 });
  });

  it('claims due deliveries under a lease, and records retries', async () => {
    const first = await store.logouts.claimDue(T0, at(60), 10);
    assert.equal(first.length, 1);
    assert.equal(first[0]?.attempts, 1);
    assert.deepEqual(await store.logouts.claimDue(at(30), at(90), 10), [], 'leased: not claimed again');
    const id = first[0]?.id ?? 0;
    await store.logouts.retryLater(id, 'it answered HTTP 503', at(10));
    assert.deepEqual(await store.logouts.claimDue(at(9), at(69), 10), []);
    const again = await store.logouts.claimDue(at(10), at(70), 10);
    assert.deepEqual(again.map((d) => [d.attempts, d.lastError]), [[2, 'it answered HTTP 503']]);
    await store.logouts.remove(id);
    assert.deepEqual(await store.logouts.pending(), []);
  });

  it("revokes the session's openid families without offline_access, only those", async () => {
    const online = await family(listening.id, 'openid profile', 'sid-c');
    const offline = await family(listening.id, 'openid offline_access', 'sid-c');
    const plain = await family(listening.id, 'profile', 'sid-c');
    const elsewhere = await family(listening.id, 'openid', 'sid-d');
    // Words match exactly: no wildcard, no case folding.
    const lookalike = await family(listening.id, 'openid offlineXaccess', 'sid-c');
    const shouting = await family(listening.id, 'OPENID', 'sid-c');
    assert.deepEqual((await store.logouts.revokeSessionFamilies('sid-c', T0)).sort(), [online, lookalike].sort());
    assert.equal(await store.families.isRevoked(shouting), false);
    assert.equal(await store.families.isRevoked(online), true);
    for (const id of [offline, plain, elsewhere]) assert.equal(await store.families.isRevoked(id), false, id);
    assert.equal((await store.families.byId(online))?.revokedAt?.getTime(), T0.getTime());
  });

  it('deleting the app takes its deliveries along', async () => {
    const other = await seedAccount(store, T0);
    await store.apps.update(other.app.id, { backchannelLogoutUri: 'https://other.example/bc' }, T0);
    await store.families.create({ id: 'family-other', appId: other.app.id, userId: other.user.id, scope: 'openid', confidential: true, createdAt: T0, session: { authTime: T0, sid: 'sid-e', amr: ['pwd'] } });
    assert.equal(await store.logouts.enqueueForSession('sid-e', T0), 1);
    await store.apps.delete(other.app.id, T0);
    assert.deepEqual(await store.logouts.pending(), []);
  });
});
