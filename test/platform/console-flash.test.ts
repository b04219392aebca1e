// Console flashes, on every store: what an action leaves for the page it redirects to is read once,
// only by the same session on the same page, only before it expires, and only with the session id
// (which the store never holds): the row alone does not give the secret away.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, it } from 'node:test';
import { ManualClock } from '../../src/oauth/clock.ts';
import type { OAuthContext } from '../../src/oauth/context.ts';
import { oauthContext } from '../../src/platform/context.ts';
import { FLASH_SECONDS, leaveFlash, takeFlash } from '../../src/platform/console-flash.ts';
import { endSession, startSession } from '../../src/platform/login.ts';
import { sha256Hex } from '../../src/oauth/secrets.ts';
import { KeyRing } from '../../src/keys/key-ring.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachStore, seedAccount, type Account } from '../helpers/stores.ts';

const T0 = new Date('2030-01-01T00:00:00Z');
const SECRET = 'f'.repeat(64);
const PAGE = '/console/apps/1';

forEachStore('console flashes', (kind) => {
  let store: Store;
  let account: Account;
  let clock: ManualClock;
  let keys: KeyRing;
  let ctx: OAuthContext;

  beforeEach(async () => {
    store = await kind.open();
    account = await seedAccount(store, T0);
    clock = new ManualClock(T0);
    keys = await KeyRing.load(store, 'flash-test-secret', { clock, reloadIntervalSeconds: 0 });
    ctx = oauthContext({ config: { publicUrl: 'https://auth.example.com' }, store, keys, clock, tokenKey: randomBytes(32) });
  });
  afterEach(async () => {
    keys.close();
    await store.close();
  });

  const session = async () => (await startSession(account.user, ctx)).id;

  it('is read once, by its session, on its page', async () => {
    const mine = await session();
    const other = await session();
    await leaveFlash(mine, PAGE, { notice: 'New client secret made.', secret: SECRET }, ctx);
    assert.equal(await takeFlash(other, PAGE, ctx), undefined, 'another session finds nothing');
    assert.equal(await takeFlash(mine, '/console/apps', ctx), undefined, 'another page finds nothing');
    assert.deepEqual(await takeFlash(mine, PAGE, ctx), { notice: 'New client secret made.', secret: SECRET });
    assert.equal(await takeFlash(mine, PAGE, ctx), undefined, 'a reload finds nothing');
  });

  it('a newer flash for the page replaces the older one', async () => {
    const mine = await session();
    await leaveFlash(mine, PAGE, { notice: 'first', secret: SECRET }, ctx);
    await leaveFlash(mine, PAGE, { notice: 'second' }, ctx);
    assert.deepEqual(await takeFlash(mine, PAGE, ctx), { notice: 'second' });
    assert.equal(await takeFlash(mine, PAGE, ctx), undefined);
  });

  it('expires unread, and housekeeping deletes it', async () => {
    const mine = await session();
    await leaveFlash(mine, PAGE, { notice: 'late', secret: SECRET }, ctx);
    await leaveFlash(mine, '/console/users', { notice: 'kept' }, ctx);
    clock.advance(FLASH_SECONDS - 1);
    await leaveFlash(mine, '/console/users', { notice: 'kept' }, ctx);
    clock.advance(1);
    assert.equal((await store.housekeeping.purge(clock.now())).flashes, 1, 'the expired flash is purged, the fresh one kept');
    assert.equal(await takeFlash(mine, PAGE, ctx), undefined);
    assert.deepEqual(await takeFlash(mine, '/console/users', ctx), { notice: 'kept' });
    await leaveFlash(mine, PAGE, { notice: 'too late' }, ctx);
    clock.advance(FLASH_SECONDS);
    assert.equal(await takeFlash(mine, PAGE, ctx), undefined, 'an expired flash is not shown even before housekeeping runs');
  });

  it('is sealed: the row holds neither the secret nor the session id, and only the session opens it', async () => {
    const mine = await session();
    await leaveFlash(mine, PAGE, { notice: 'New client secret made.', secret: SECRET }, ctx);
    const sealed = await store.consoleFlashes.take(sha256Hex(mine), PAGE, clock.now());
    assert.ok(sealed);
    assert.ok(!sealed.includes(SECRET) && !sealed.includes('New client secret'), 'the row is ciphertext');
    assert.ok(!sealed.includes(mine));
    // Put back under the hash of another session, it opens for nobody.
    const other = await session();
    await store.consoleFlashes.put({ sessionIdHash: sha256Hex(other), path: PAGE, sealed, expiresAt: new Date(clock.now().getTime() + 60_000) });
    assert.equal(await takeFlash(other, PAGE, ctx), undefined);
  });

  it('ends with its session', async () => {
    const mine = await session();
    await leaveFlash(mine, PAGE, { notice: 'bye', secret: SECRET }, ctx);
    await endSession(mine, ctx);
    assert.equal(await store.consoleFlashes.take(sha256Hex(mine), PAGE, clock.now()), undefined, 'signing out deleted the flash');
  });
});
