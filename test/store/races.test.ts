// Races between instances on one database, on every database: a code is redeemed once however
// many instances try at once, a rotating refresh token has one successor however many refreshes
// race, concurrent consents merge into one grant, and the live refresh-token limit holds when
// instances issue at the same moment. The second instance is another process,
// as in production (and as SQLite needs: one process's connections block each other).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, TEST_SECRET, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore, seedAccount, type TestDatabase } from '../helpers/stores.ts';
import { guideCodeChallenge, guideCodeVerifier, postForm, tokenUrl, type JsonResponse } from '../helpers/token-client.ts';
import { issueAll, upsertAll, type RaceToken } from './race-ops.ts';
import { startWorker, type WorkerProcess } from './worker-process.ts';
import { sha256Hex } from '../../src/oauth/secrets.ts';
import type { Store } from '../../src/store/store.ts';

const T0 = new Date('2030-01-01T00:00:00Z');

forEachStore('races between two instances', (kind) => {
  let db: TestDatabase;
  let a: TestServer;
  let b: WorkerProcess;
  let bUrl: string;
  before(async () => {
    db = await kind.database();
    a = await startTestServer({ database: db });
    // Instance B: its own process and connections, the same database, secret and public URL.
    b = startWorker({ task: 'instance', options: db.options, secret: TEST_SECRET, publicUrl: a.url });
    bUrl = `http://127.0.0.1:${String((await b.ready).port)}`;
  });
  after(async () => {
    await b?.stop();
    await a?.close();
  });

  /** Fires 40 redemptions of one code, alternating between the instances. */
  async function redeemFortyTimes(form: Record<string, string>): Promise<JsonResponse[]> {
    return Promise.all(Array.from({ length: 40 }, (_, i) => postForm(tokenUrl(i % 2 === 0 ? a.url : bUrl), form)));
  }

  function assertOneWinner(results: JsonResponse[]): JsonResponse {
    const statuses = results.map((r) => r.status);
    assert.deepEqual(statuses.filter((s) => s >= 500), [], 'no 5xx');
    const winners = results.filter((r) => r.status === 200);
    assert.equal(winners.length, 1, `exactly one redemption succeeds (statuses: ${statuses.join(' ')})`);
    for (const loser of results.filter((r) => r.status !== 200)) {
      assert.equal(loser.status, 400);
      assert.equal(loser.body.error, 'invalid_grant');
    }
    return winners[0] as JsonResponse;
  }

  it('redeems a PKCE code exactly once when 40 requests race across both instances', async () => {
    const verifier = guideCodeVerifier();
    const query = new URLSearchParams({
      client_id: a.webapp.clientId,
      response_type: 'code',
      redirect_uri: WEBAPP_REDIRECT,
      scope: 'profile',
      code_challenge: guideCodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const code = await new Browserless(a.url).authorizeCode(query.toString(), { tenant: 'acme', username: 'jane', password: PASSWORD });
    const winner = assertOneWinner(await redeemFortyTimes({ grant_type: 'authorization_code', client_id: a.webapp.clientId, code, code_verifier: verifier }));
    assert.equal(typeof winner.body.access_token, 'string');
  });

  async function confidentialRace(): Promise<JsonResponse[]> {
    const query = new URLSearchParams({ client_id: a.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile' });
    const code = await new Browserless(a.url).authorizeCode(query.toString(), { tenant: 'acme', username: 'jane', password: PASSWORD });
    return redeemFortyTimes({ grant_type: 'authorization_code', client_id: a.backend.clientId, client_secret: a.backend.clientSecret, code });
  }

  it('redeems a confidential client\'s code exactly once when 40 requests race across both instances', async () => {
    const results = await confidentialRace();
    assert.deepEqual(results.filter((r) => r.status >= 500).map((r) => r.status), [], 'no 5xx');
    const winner = assertOneWinner(results);
    // The losers are replays: the tokens the winner got are revoked, as RFC 6749 §4.1.2 asks.
    const refresh = await postForm(tokenUrl(bUrl), {
      grant_type: 'refresh_token',
      client_id: a.backend.clientId,
      client_secret: a.backend.clientSecret,
      refresh_token: String(winner.body.refresh_token),
    });
    assert.equal(refresh.status, 400);
    assert.equal(refresh.body.error, 'invalid_grant');
  });

  it('gives 20 concurrent refreshes of one rotating refresh token one successor, across two instances', async () => {
    // A rotating (public) client's tokens, from A.
    const verifier = guideCodeVerifier();
    const query = new URLSearchParams({
      client_id: a.webapp.clientId,
      response_type: 'code',
      redirect_uri: WEBAPP_REDIRECT,
      scope: 'profile offline_access',
      code_challenge: guideCodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const code = await new Browserless(a.url).authorizeCode(query.toString(), { tenant: 'acme', username: 'jane', password: PASSWORD });
    const issued = await postForm(tokenUrl(a.url), { grant_type: 'authorization_code', client_id: a.webapp.clientId, code, code_verifier: verifier });
    assert.equal(issued.status, 200, issued.text);
    const original = String(issued.body.refresh_token);

    // The race runs between B and a third instance C: both derive successors from the shared
    // secret, as every `gatehouse serve` does (A, the test server, keeps a key of its own).
    const c = startWorker({ task: 'instance', options: db.options, secret: TEST_SECRET, publicUrl: a.url });
    try {
      const cUrl = `http://127.0.0.1:${String((await c.ready).port)}`;
      const form = { grant_type: 'refresh_token', client_id: a.webapp.clientId, refresh_token: original };
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => postForm(tokenUrl(i % 2 === 0 ? bUrl : cUrl), form)));
      const statuses = results.map((r) => r.status);
      assert.deepEqual(statuses.filter((s) => s >= 500), [], 'no 5xx');
      for (const refused of results.filter((r) => r.status !== 200)) {
        assert.equal(refused.status, 400, refused.text);
        assert.equal(refused.body.error, 'invalid_grant');
      }
      const successors = new Set(results.filter((r) => r.status === 200).map((r) => String(r.body.refresh_token)));
      assert.equal(successors.size, 1, `exactly one successor is ever handed out (statuses: ${statuses.join(' ')})`);
      const [successor = ''] = successors;
      assert.notEqual(successor, original);
      // Every racer within the retry window gets the successor: nobody's retry looked like a reuse.
      assert.deepEqual(statuses, Array(20).fill(200));

      // One branch: the original is spent for exactly that successor, which is the family's live token.
      const spent = await a.store.refreshTokens.byHash(sha256Hex(original));
      assert.ok(spent?.rotatedAt, 'the original is spent');
      assert.equal(spent.successorHash, sha256Hex(successor));
      const live = await a.store.refreshTokens.byHash(sha256Hex(successor));
      assert.equal(live?.revokedAt, null);
      assert.equal(live?.rotatedAt, null);
      const next = await postForm(tokenUrl(cUrl), { ...form, refresh_token: successor });
      assert.equal(next.status, 200, `the successor refreshes: ${next.text}`);
    } finally {
      await c.stop();
    }
  });

  it('merges concurrent consents for one user and app into one grant holding every scope', async () => {
    const store: Store = a.store;
    const { user, app } = await seedAccount(store, T0);
    const words = (worker: number) => Array.from({ length: 10 }, (_, i) => `w${worker}s${i}`);
    // Ten consents on each instance at the same moment.
    await Promise.all([b.send({ op: 'grants', userId: user.id, appId: app.id, scopes: words(1) }), upsertAll(store, user.id, app.id, words(0))]);
    const grant = await store.grants.find(user.id, app.id);
    assert.ok(grant, 'one grant row');
    assert.deepEqual(grant.scope.split(' ').sort(), [...words(0), ...words(1)].sort(), 'the union of every consent');
  });

  it('never leaves more than 10 live refresh tokens per app and user when instances issue at once', async () => {
    const store: Store = a.store;
    const { user, app } = await seedAccount(store, T0);
    const tokens: RaceToken[] = [];
    for (let i = 0; i < 30; i++) {
      const familyId = `race-family-${kind.name}-${app.id}-${i}`;
      await store.codes.issue(
        { codeHash: `race-code-${familyId}`, appId: app.id, userId: user.id, redirectUri: 'https://app.example.com/cb', scope: 'profile', codeChallenge: null, familyId, createdAt: T0, expiresAt: T0 },
        { id: familyId, appId: app.id, userId: user.id, scope: 'profile', confidential: true, createdAt: T0 },
      );
      tokens.push({ tokenHash: `race-token-${familyId}`, familyId, appId: app.id, userId: user.id, createdAtMs: T0.getTime() + i });
    }
    // Fifteen token requests on each instance at the same moment.
    const [there, here] = await Promise.all([
      b.send({ op: 'refresh-tokens', maxLive: 10, tokens: tokens.filter((_, i) => i % 2 === 1) }),
      issueAll(store, tokens.filter((_, i) => i % 2 === 0), 10),
    ]);
    assert.deepEqual([...(there.stored as boolean[]), ...here], Array(30).fill(true), 'every token was stored');
    const live = [];
    for (const t of tokens) if ((await store.refreshTokens.byHash(t.tokenHash))?.revokedAt === null) live.push(t.tokenHash);
    assert.equal(live.length, 10, `10 live tokens remain, not ${live.length}`);
  });
});
