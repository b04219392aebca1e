// Codes, token families, refresh tokens, grants and sessions: the store operations that must hold
// under replay and concurrency.
import { BUILT_IN_RESOURCE_ID } from '../../src/domain/resource-server.ts';
import { onBuiltInApi } from '../helpers/grant-merge.ts';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ScopeSet } from '../../src/oauth/scopes.ts';
import type { AuthorizationCode } from '../../src/domain/tokens.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachStore, seedAccount, type Account } from '../helpers/stores.ts';

const T0 = new Date('2030-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
let serial = 0;
const unique = (prefix: string) => `${prefix}${(++serial).toString().padStart(8, '0')}`;

async function issueCode(store: Store, account: Account, overrides: Partial<AuthorizationCode> = {}): Promise<AuthorizationCode> {
  const familyId = overrides.familyId ?? unique('family-');
  const code: AuthorizationCode = {
    codeHash: unique('code-hash-'),
    appId: account.app.id,
    userId: account.user.id,
    redirectUri: 'https://app.example.com/cb',
    scope: 'profile source:w',
    resources: [{ resourceId: BUILT_IN_RESOURCE_ID, scope: 'profile source:w' }],
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    familyId,
    createdAt: T0,
    expiresAt: at(120),
    ...overrides,
  };
  await store.codes.issue(code, { id: familyId, appId: code.appId, userId: code.userId, scope: code.scope, confidential: false, createdAt: T0 });
  return code;
}

/** A code's family with one refresh token in it; returns the token hash. */
async function familyWithToken(store: Store, account: Account, createdAt: Date, maxLive = 10): Promise<{ familyId: string; tokenHash: string }> {
  const { familyId } = await issueCode(store, account);
  const tokenHash = unique('token-hash-');
  const stored = await store.refreshTokens.issue(
    { tokenHash, familyId, appId: account.app.id, userId: account.user.id, scope: 'profile', createdAt, expiresAt: new Date(createdAt.getTime() + 365 * 86400_000) },
    maxLive,
    createdAt,
  );
  assert.equal(stored, true);
  return { familyId, tokenHash };
}

const isLive = async (store: Store, tokenHash: string) => (await store.refreshTokens.byHash(tokenHash))?.revokedAt === null;

forEachStore('store: authorization codes', (kind) => {
  let store: Store;
  let account: Account;
  before(async () => {
    store = await kind.open();
    account = await seedAccount(store);
  });
  after(() => store.close());

  it('returns the stored code on first use, with everything it was bound to', async () => {
    const code = await issueCode(store, account);
    const result = await store.codes.consume(code.codeHash, at(10));
    assert.equal(result.status, 'consumed');
    assert.deepEqual(result.status === 'consumed' && result.code, code);
  });

  it('reports a second use as a replay, naming the family', async () => {
    const code = await issueCode(store, account);
    assert.equal((await store.codes.consume(code.codeHash, at(10))).status, 'consumed');
    assert.deepEqual(await store.codes.consume(code.codeHash, at(11)), { status: 'replayed', familyId: code.familyId });
  });

  it('reports an unknown hash as unknown', async () => {
    assert.deepEqual(await store.codes.consume('no-such-code', at(10)), { status: 'unknown' });
  });

  it('lets exactly one of 40 concurrent redemptions win', async () => {
    const code = await issueCode(store, account);
    const results = await Promise.all(Array.from({ length: 40 }, () => store.codes.consume(code.codeHash, at(10))));
    assert.equal(results.filter((r) => r.status === 'consumed').length, 1);
    assert.equal(results.filter((r) => r.status === 'replayed').length, 39);
  });
});

forEachStore('store: token families and refresh tokens', (kind) => {
  let store: Store;
  before(async () => {
    store = await kind.open();
  });
  after(() => store.close());

  it('revoking a family revokes its refresh tokens and nothing else', async () => {
    const account = await seedAccount(store);
    const doomed = await familyWithToken(store, account, at(1));
    const kept = await familyWithToken(store, account, at(2));
    await store.families.revoke(doomed.familyId, 'revoked_by_user', at(5));

    assert.equal(await store.families.isRevoked(doomed.familyId), true);
    assert.deepEqual((await store.families.byId(doomed.familyId))?.revokedAt, at(5));
    assert.deepEqual((await store.refreshTokens.byHash(doomed.tokenHash))?.revokedAt, at(5));
    assert.equal(await store.families.isRevoked(kept.familyId), false);
    assert.equal(await isLive(store, kept.tokenHash), true);
  });

  it('revoking twice keeps the first revocation time', async () => {
    const account = await seedAccount(store);
    const family = await familyWithToken(store, account, at(1));
    await store.families.revoke(family.familyId, 'revoked_by_client', at(5));
    await store.families.revoke(family.familyId, 'code_replay', at(9));
    assert.deepEqual((await store.families.byId(family.familyId))?.revokedAt, at(5));
  });

  it('counts an unknown family as revoked', async () => {
    assert.equal(await store.families.isRevoked('no-such-family'), true);
  });

  it('refuses to store a refresh token in a revoked family', async () => {
    const account = await seedAccount(store);
    const { familyId } = await issueCode(store, account);
    await store.families.revoke(familyId, 'code_replay', at(3));
    const stored = await store.refreshTokens.issue(
      { tokenHash: 'late-token', familyId, appId: account.app.id, userId: account.user.id, scope: 'profile', createdAt: at(4), expiresAt: at(1000) },
      10,
      at(4),
    );
    assert.equal(stored, false);
    assert.equal(await store.refreshTokens.byHash('late-token'), undefined);
  });

  it('leaves no live refresh token in a family revoked while the token was being stored', async () => {
    const account = await seedAccount(store);
    for (let round = 0; round < 20; round++) {
      const { familyId } = await issueCode(store, account);
      const tokenHash = unique('racing-token-');
      const [stored] = await Promise.all([
        store.refreshTokens.issue({ tokenHash, familyId, appId: account.app.id, userId: account.user.id, scope: 'profile', createdAt: at(4), expiresAt: at(1000) }, 10, at(4)),
        store.families.revoke(familyId, 'revoked_by_user', at(4)),
      ]);
      const token = await store.refreshTokens.byHash(tokenHash);
      assert.equal(stored, token !== undefined);
      assert.ok(token === undefined || token.revokedAt !== null, `round ${round}: the token was stored live in a revoked family`);
    }
  });

  it('redeeming a code records the secret-or-PKCE flag and stores its refresh token in the same step', async () => {
    const account = await seedAccount(store);
    const { codeHash, familyId } = await issueCode(store, account);
    assert.equal((await store.families.byId(familyId))?.confidential, false);
    const tokenHash = unique('token-hash-');
    const result = await store.codes.consume(codeHash, at(1), {
      confidential: true,
      refreshToken: { tokenHash, familyId, appId: account.app.id, userId: account.user.id, scope: 'profile', createdAt: at(1), expiresAt: at(1000) },
      maxLivePerAppUser: 10,
    });
    assert.equal(result.status, 'consumed');
    assert.equal((await store.families.byId(familyId))?.confidential, true);
    assert.equal(await isLive(store, tokenHash), true);
    const replay = await store.codes.consume(codeHash, at(2), {
      confidential: false,
      refreshToken: { tokenHash: unique('token-hash-'), familyId, appId: account.app.id, userId: account.user.id, scope: 'profile', createdAt: at(2), expiresAt: at(1000) },
      maxLivePerAppUser: 10,
    });
    assert.deepEqual(replay, { status: 'replayed', familyId }, 'a replay stores nothing');
    assert.equal((await store.families.byId(familyId))?.confidential, true);
  });

  it('records the last use of a refresh token', async () => {
    const account = await seedAccount(store);
    const { tokenHash } = await familyWithToken(store, account, at(1));
    await store.refreshTokens.touch(tokenHash, at(77));
    assert.deepEqual((await store.refreshTokens.byHash(tokenHash))?.lastUsedAt, at(77));
  });

  it('keeps at most 10 live refresh tokens per app and user, revoking the oldest families', async () => {
    const account = await seedAccount(store);
    const issued = [];
    for (let i = 0; i < 12; i++) issued.push(await familyWithToken(store, account, at(100 + i)));
    for (const [i, { familyId, tokenHash }] of issued.entries()) {
      const expectLive = i >= 2;
      assert.equal(await isLive(store, tokenHash), expectLive, `token ${i}`);
      assert.equal(await store.families.isRevoked(familyId), !expectLive, `family ${i}`);
    }
  });

  it('never revokes the token it has just issued, even when timestamps tie', async () => {
    const account = await seedAccount(store);
    const hashes = [];
    for (let i = 0; i < 12; i++) {
      const { tokenHash } = await familyWithToken(store, account, at(500));
      assert.equal(await isLive(store, tokenHash), true, `token ${i} is live right after issue`);
      hashes.push(tokenHash);
    }
    let live = 0;
    for (const hash of hashes) if (await isLive(store, hash)) live += 1;
    assert.equal(live, 10);
  });

  it('counts the limit per app and user, not across them', async () => {
    const first = await seedAccount(store);
    const second = await seedAccount(store);
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push(await familyWithToken(store, first, at(200 + i), 3));
    for (let i = 0; i < 3; i++) await familyWithToken(store, second, at(300 + i), 3);
    for (const { tokenHash } of mine) assert.equal(await isLive(store, tokenHash), true);
  });

  it('does not count expired tokens towards the limit', async () => {
    const account = await seedAccount(store);
    const { familyId } = await issueCode(store, account);
    await store.refreshTokens.issue(
      { tokenHash: unique('expired-'), familyId, appId: account.app.id, userId: account.user.id, scope: 'profile', createdAt: at(0), expiresAt: at(10) },
      2,
      at(0),
    );
    const a = await familyWithToken(store, account, at(20), 2);
    const b = await familyWithToken(store, account, at(21), 2);
    assert.equal(await isLive(store, a.tokenHash), true);
    assert.equal(await isLive(store, b.tokenHash), true);
  });
});

forEachStore('store: refresh-token rotation', (kind) => {
  let store: Store;
  before(async () => {
    store = await kind.open();
  });
  after(() => store.close());

  /** The successor record a rotation of `tokenHash` would store. */
  const successorOf = (account: Account, familyId: string, createdAt: Date) => ({
    tokenHash: unique('successor-'),
    familyId,
    appId: account.app.id,
    userId: account.user.id,
    scope: 'profile',
    createdAt,
    expiresAt: new Date(T0.getTime() + 365 * 86400_000),
  });

  it('spends the token and stores its successor, live, in the same family', async () => {
    const account = await seedAccount(store);
    const { familyId, tokenHash } = await familyWithToken(store, account, at(1));
    const next = successorOf(account, familyId, at(5));
    assert.deepEqual(await store.refreshTokens.rotate(tokenHash, next, 10, at(5)), { status: 'rotated' });
    const spent = await store.refreshTokens.byHash(tokenHash);
    assert.deepEqual(spent?.rotatedAt, at(5));
    assert.equal(spent?.successorHash, next.tokenHash);
    assert.equal(spent?.revokedAt, null, 'spent, not revoked: a retry can still be recognised');
    const successor = await store.refreshTokens.byHash(next.tokenHash);
    assert.equal(successor?.familyId, familyId);
    assert.equal(successor?.rotatedAt, null);
    assert.equal(successor?.revokedAt, null);
  });

  it('reports a second rotation as spent, storing nothing', async () => {
    const account = await seedAccount(store);
    const { familyId, tokenHash } = await familyWithToken(store, account, at(1));
    const first = successorOf(account, familyId, at(5));
    await store.refreshTokens.rotate(tokenHash, first, 10, at(5));
    const other = successorOf(account, familyId, at(6));
    const again = await store.refreshTokens.rotate(tokenHash, other, 10, at(6));
    assert.equal(again.status, 'spent');
    assert.equal(again.status === 'spent' && again.token.successorHash, first.tokenHash);
    assert.equal(await store.refreshTokens.byHash(other.tokenHash), undefined);
  });

  it('refuses unknown, expired and revoked tokens, and tokens of revoked families', async () => {
    const account = await seedAccount(store);
    const unknownNext = successorOf(account, 'no-family', at(5));
    assert.deepEqual(await store.refreshTokens.rotate('no-such-token', unknownNext, 10, at(5)), { status: 'refused' });

    const expired = await familyWithToken(store, account, at(1));
    const late = new Date(T0.getTime() + 366 * 86400_000);
    assert.deepEqual(await store.refreshTokens.rotate(expired.tokenHash, successorOf(account, expired.familyId, late), 10, late), { status: 'refused' });

    const revoked = await familyWithToken(store, account, at(1));
    await store.families.revoke(revoked.familyId, 'revoked_by_user', at(2));
    const next = successorOf(account, revoked.familyId, at(5));
    assert.deepEqual(await store.refreshTokens.rotate(revoked.tokenHash, next, 10, at(5)), { status: 'refused' });
    assert.equal(await store.refreshTokens.byHash(next.tokenHash), undefined);
    assert.equal((await store.refreshTokens.byHash(revoked.tokenHash))?.rotatedAt, null);
  });

  it('lets exactly one of 20 concurrent rotations win; the rest see the spent token', async () => {
    const account = await seedAccount(store);
    const { familyId, tokenHash } = await familyWithToken(store, account, at(1));
    const attempts = Array.from({ length: 20 }, () => successorOf(account, familyId, at(5)));
    const results = await Promise.all(attempts.map((next) => store.refreshTokens.rotate(tokenHash, next, 10, at(5))));
    assert.equal(results.filter((r) => r.status === 'rotated').length, 1);
    assert.equal(results.filter((r) => r.status === 'spent').length, 19);
    const winner = attempts[results.findIndex((r) => r.status === 'rotated')];
    let stored = 0;
    for (const next of attempts) if (await store.refreshTokens.byHash(next.tokenHash)) stored += 1;
    assert.equal(stored, 1, 'one successor stored');
    assert.equal((await store.refreshTokens.byHash(tokenHash))?.successorHash, winner?.tokenHash);
  });

  it('revoking the family revokes the spent token and its successor', async () => {
    const account = await seedAccount(store);
    const { familyId, tokenHash } = await familyWithToken(store, account, at(1));
    const next = successorOf(account, familyId, at(5));
    await store.refreshTokens.rotate(tokenHash, next, 10, at(5));
    await store.families.revoke(familyId, 'refresh_token_reuse', at(70));
    assert.deepEqual((await store.refreshTokens.byHash(next.tokenHash))?.revokedAt, at(70));
    assert.deepEqual((await store.refreshTokens.byHash(tokenHash))?.revokedAt, at(70));
  });

  it('counts a rotated chain once towards the live-token limit', async () => {
    const account = await seedAccount(store);
    const chain = await familyWithToken(store, account, at(1), 3);
    let current = chain.tokenHash;
    for (let i = 0; i < 5; i++) {
      const next = successorOf(account, chain.familyId, at(10 + i));
      assert.deepEqual(await store.refreshTokens.rotate(current, next, 3, at(10 + i)), { status: 'rotated' });
      current = next.tokenHash;
    }
    const others = [await familyWithToken(store, account, at(20), 3), await familyWithToken(store, account, at(21), 3)];
    assert.equal(await isLive(store, current), true, "the chain's newest token is one of three live tokens");
    for (const other of others) assert.equal(await isLive(store, other.tokenHash), true);
  });
});

forEachStore('store: grants', (kind) => {
  let store: Store;
  before(async () => {
    store = await kind.open();
  });
  after(() => store.close());

  const union = onBuiltInApi((stored, added) => ScopeSet.fromStored(stored).union(ScopeSet.fromStored(added)).toString());

  it('keeps one row per user and app, merging scopes through the callback', async () => {
    const { user, app } = await seedAccount(store);
    await store.grants.upsert({ userId: user.id, appId: app.id, scope: 'profile', clientDescription: 'Firefox, Mac' }, at(1), union);
    const calls: [string, string][] = [];
    await store.grants.upsert({ userId: user.id, appId: app.id, scope: 'source:w', clientDescription: 'Chrome, Windows' }, at(9), (stored, added) => {
      calls.push([stored.scope, added.scope]);
      return union(stored, added);
    });
    assert.deepEqual(calls, [['profile', 'source:w']]);
    const grant = await store.grants.find(user.id, app.id);
    assert.deepEqual(grant, {
      userId: user.id,
      appId: app.id,
      scope: 'profile source:w',
      resources: [{ resourceId: BUILT_IN_RESOURCE_ID, scope: 'profile source:w' }],
      clientDescription: 'Chrome, Windows',
      connectedAt: at(1),
      lastActivityAt: at(9),
    });
  });

  it('keeps grants of different users apart and records activity', async () => {
    const one = await seedAccount(store);
    const two = await seedAccount(store);
    await store.grants.upsert({ userId: one.user.id, appId: one.app.id, scope: 'profile', clientDescription: 'curl' }, at(1), union);
    assert.equal(await store.grants.find(two.user.id, one.app.id), undefined);
    await store.grants.touch(one.user.id, one.app.id, at(50));
    assert.deepEqual((await store.grants.find(one.user.id, one.app.id))?.lastActivityAt, at(50));
  });
});

forEachStore('store: sessions', (kind) => {
  let store: Store;
  before(async () => {
    store = await kind.open();
  });
  after(() => store.close());

  it('finds a session until it expires, with how the user signed in (a password unless told)', async () => {
    const { tenant, user } = await seedAccount(store);
    await store.sessions.create({ idHash: 'session-1', tenantId: tenant.id, userId: user.id, createdAt: at(0), expiresAt: at(3600) });
    assert.deepEqual(await store.sessions.byIdHash('session-1', at(3599)), {
      idHash: 'session-1',
      tenantId: tenant.id,
      userId: user.id,
      createdAt: at(0),
      expiresAt: at(3600),
      amr: ['pwd'],
    });
    await store.sessions.create({ idHash: 'session-3', tenantId: tenant.id, userId: user.id, createdAt: at(0), expiresAt: at(3600), amr: ['pwd', 'otp', 'mfa'] });
    assert.deepEqual((await store.sessions.byIdHash('session-3', at(1)))?.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(await store.sessions.byIdHash('session-1', at(3600)), undefined);
    assert.equal(await store.sessions.byIdHash('session-1', at(9999)), undefined);
  });

  it('forgets a deleted session', async () => {
    const { tenant, user } = await seedAccount(store);
    await store.sessions.create({ idHash: 'session-2', tenantId: tenant.id, userId: user.id, createdAt: at(0), expiresAt: at(3600) });
    await store.sessions.delete('session-2');
    assert.equal(await store.sessions.byIdHash('session-2', at(1)), undefined);
  });
});
