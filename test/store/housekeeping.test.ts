// Housekeeping purges what can no longer matter and keeps everything a client or a replay check
// may still need: above all, an access token that is active stays active after a purge.
import { BUILT_IN_RESOURCE_ID } from '../../src/domain/resource-server.ts';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, it } from 'node:test';
import { oauthContext } from '../../src/platform/context.ts';
import { KeyRing } from '../../src/keys/key-ring.ts';
import { mintAccessToken } from '../../src/oauth/access-token.ts';
import { ManualClock } from '../../src/oauth/clock.ts';
import type { OAuthContext } from '../../src/oauth/context.ts';
import { activeAccessToken } from '../../src/oauth/token-info.ts';
import type { AuthorizationCode } from '../../src/domain/tokens.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachStore, seedAccount, type Account } from '../helpers/stores.ts';

const T0 = new Date('2030-01-01T00:00:00Z');
const HOUR = 3600;
let serial = 0;
const unique = (prefix: string) => `${prefix}${(++serial).toString().padStart(8, '0')}`;

forEachStore('store: housekeeping', (kind) => {
  let store: Store;
  let account: Account;
  let clock: ManualClock;
  let keys: KeyRing;
  let ctx: OAuthContext;

  beforeEach(async () => {
    store = await kind.open();
    account = await seedAccount(store, T0);
    clock = new ManualClock(T0);
    keys = await KeyRing.load(store, 'housekeeping-test-secret', { clock, reloadIntervalSeconds: 0 });
    ctx = oauthContext({ config: { publicUrl: 'https://auth.example.com' }, store, keys, clock, tokenKey: randomBytes(32) });
  });
  afterEach(async () => {
    keys.close();
    await store.close();
  });

  const purge = (batchSize?: number, budgetMs?: number) => store.housekeeping.purge(clock.now(), batchSize, { budgetMs });

  /** A code issued now (alive 120 s) with its family, as the authorize step stores them. */
  async function issueCode(): Promise<AuthorizationCode> {
    const now = clock.now();
    const familyId = unique('family-');
    const code: AuthorizationCode = {
      codeHash: unique('code-'),
      appId: account.app.id,
      userId: account.user.id,
      redirectUri: 'https://app.example.com/cb',
      scope: 'profile',
      resources: [{ resourceId: BUILT_IN_RESOURCE_ID, scope: 'profile' }],
      codeChallenge: null,
      familyId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 120_000),
    };
    await store.codes.issue(code, { id: familyId, appId: account.app.id, userId: account.user.id, scope: 'profile', confidential: true, createdAt: now });
    return code;
  }

  async function issueRefreshToken(familyId: string, lifetimeSeconds: number): Promise<string> {
    const now = clock.now();
    const tokenHash = unique('refresh-');
    const stored = await store.refreshTokens.issue(
      { tokenHash, familyId, appId: account.app.id, userId: account.user.id, scope: 'profile', createdAt: now, expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000) },
      10,
      now,
    );
    assert.equal(stored, true);
    return tokenHash;
  }

  const accessTokenFor = (familyId: string) =>
    mintAccessToken(
      { sub: String(account.user.id), username: account.user.username, tenant: account.tenant.slug, clientId: account.app.clientId, appId: account.app.id, scope: 'profile', familyId },
      ctx,
    );
  const isActive = async (token: string) => (await activeAccessToken(token, ctx)) !== undefined;

  async function createSessions(count: number, lifetimeSeconds: number): Promise<string[]> {
    const ids = [];
    for (let i = 0; i < count; i++) {
      const idHash = unique('session-');
      const now = clock.now();
      await store.sessions.create({ idHash, tenantId: account.tenant.id, userId: account.user.id, createdAt: now, expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000) });
      ids.push(idHash);
    }
    return ids;
  }

  it('purges sessions once expired and keeps live ones', async () => {
    const [expired] = await createSessions(1, 60);
    clock.advance(30);
    const [live] = await createSessions(1, 8 * HOUR);
    clock.advance(31);
    const counts = await purge();
    assert.deepEqual(counts, { codes: 0, sessions: 1, refreshTokens: 0, families: 0, flashes: 0 });
    assert.ok(live && (await store.sessions.byIdHash(live, clock.now())), 'the live session still signs the user in');
    clock.advance(-61);
    assert.equal(expired && (await store.sessions.byIdHash(expired, clock.now())), undefined, 'the expired session row is gone');
  });

  it('keeps a used code for an hour past expiry so a replay still revokes its family, then purges it', async () => {
    const code = await issueCode();
    const unused = await issueCode();
    clock.advance(10);
    assert.equal((await store.codes.consume(code.codeHash, clock.now())).status, 'consumed');

    clock.advance(110 + HOUR - 1); // both codes expired just under an hour ago
    assert.equal((await purge()).codes, 0);
    assert.equal((await store.codes.find(unused.codeHash))?.consumed, false);
    assert.deepEqual(await store.codes.consume(code.codeHash, clock.now()), { status: 'replayed', familyId: code.familyId });

    clock.advance(2);
    const counts = await purge();
    assert.equal(counts.codes, 2);
    assert.equal(await store.codes.find(code.codeHash), undefined);
    assert.equal(await store.codes.find(unused.codeHash), undefined);
  });

  it('keeps an access token from a code redemption active until it expires', async () => {
    const code = await issueCode();
    clock.advance(60);
    assert.equal((await store.codes.consume(code.codeHash, clock.now())).status, 'consumed');
    const accessToken = await accessTokenFor(code.familyId); // no refresh token: a public client without offline_access

    clock.advance(HOUR - 1); // one second before the access token expires
    await purge();
    assert.equal(await isActive(accessToken), true, 'the access token stays active after a purge');
    assert.ok(await store.families.byId(code.familyId));

    clock.advance(HOUR); // code expired more than an hour ago: code and family go
    const counts = await purge();
    assert.deepEqual(counts, { codes: 1, sessions: 0, refreshTokens: 0, families: 1, flashes: 0 });
    assert.equal(await store.families.byId(code.familyId), undefined);
    assert.equal(await isActive(accessToken), false);
  });

  it('keeps an access token minted just before its refresh token expired active until it expires', async () => {
    const code = await issueCode();
    await store.codes.consume(code.codeHash, clock.now());
    const refreshHash = await issueRefreshToken(code.familyId, 3 * HOUR);
    clock.advance(3 * HOUR - 1);
    const accessToken = await accessTokenFor(code.familyId); // refreshed one second before the refresh token expires

    clock.advance(HOUR - 1);
    const first = await purge();
    assert.equal(first.codes, 1, 'the code itself is long gone');
    assert.equal(first.families, 0);
    assert.ok(await store.refreshTokens.byHash(refreshHash), 'an expired refresh token is kept for an access-token lifetime');
    assert.equal(await isActive(accessToken), true, 'the access token stays active after a purge');

    clock.advance(3); // the refresh token expired more than an hour ago
    assert.deepEqual(await purge(), { codes: 0, sessions: 0, refreshTokens: 1, families: 1, flashes: 0 });
    assert.equal(await store.refreshTokens.byHash(refreshHash), undefined);
    assert.equal(await isActive(accessToken), false);
  });

  it('keeps families with a live refresh token, whatever their age', async () => {
    const code = await issueCode();
    await store.codes.consume(code.codeHash, clock.now());
    const refreshHash = await issueRefreshToken(code.familyId, 365 * 24 * HOUR);
    clock.advance(30 * 24 * HOUR);
    const accessToken = await accessTokenFor(code.familyId);
    const counts = await purge();
    assert.deepEqual(counts, { codes: 1, sessions: 0, refreshTokens: 0, families: 0, flashes: 0 });
    assert.equal((await store.refreshTokens.byHash(refreshHash))?.revokedAt, null);
    assert.equal(await store.families.isRevoked(code.familyId), false);
    assert.equal(await isActive(accessToken), true);
  });

  it('purges a revoked family once nothing refers to it, and its tokens stay refused', async () => {
    const code = await issueCode();
    await store.codes.consume(code.codeHash, clock.now());
    const accessToken = await accessTokenFor(code.familyId);
    await store.families.revoke(code.familyId, 'revoked_by_client', clock.now());
    assert.equal(await isActive(accessToken), false);

    clock.advance(2 * HOUR);
    assert.deepEqual(await purge(), { codes: 1, sessions: 0, refreshTokens: 0, families: 1, flashes: 0 });
    assert.equal(await store.families.isRevoked(code.familyId), true);
    assert.equal(await isActive(accessToken), false);
  });

  it('deletes in bounded batches until done, or stops when the time budget is spent', async () => {
    await createSessions(7, 60);
    clock.advance(61);
    assert.equal((await purge(3, 0)).sessions, 3, 'a spent budget stops after one batch');
    assert.equal((await purge(3)).sessions, 4, 'batches continue until one comes back short');
    assert.equal((await purge(3)).sessions, 0);
    await assert.rejects(purge(0), RangeError);
  });

  it('lets several purges run at once without errors or double counting', async () => {
    await createSessions(40, 60);
    for (let i = 0; i < 5; i++) await issueCode();
    clock.advance(2 * HOUR + 120);
    const results = await Promise.all(Array.from({ length: 4 }, () => purge(7)));
    const total = (key: 'sessions' | 'codes' | 'families') => results.reduce((sum, r) => sum + r[key], 0);
    assert.equal(total('sessions'), 40);
    assert.equal(total('codes'), 5);
    assert.equal(total('families'), 5);
    assert.deepEqual(await purge(), { codes: 0, sessions: 0, refreshTokens: 0, families: 0, flashes: 0 });
  });
});
