// Refresh-token rotation (RFC 9700 §4.14.2) by app policy: a public client gets a new refresh token
// on every refresh; a retry with the spent one within 60 s gets the same successor; any other reuse
// revokes the whole family, access tokens included. Confidential clients keep ilert's behaviour
// under the default policy, and an app registered with 'never' keeps it for public clients too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { registerApp } from '../../src/platform/apps.ts';
import { sha256Hex } from '../../src/oauth/secrets.ts';
import { openStore } from '../../src/store/open.ts';
import type { RefreshRotation } from '../../src/domain/app.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { guideCodeChallenge, guideCodeVerifier, postForm, tokenInfoUrl, tokenUrl, type JsonResponse } from '../helpers/token-client.ts';

const YEAR = 31_536_000;

interface Client {
  clientId: string;
  clientSecret?: string;
}

forEachStore('refresh-token rotation', (kind) => {
  let server: TestServer;
  let account = { tenant: 'acme', username: 'jane', password: PASSWORD };
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  /** An app of its own with this policy (secret included, for the confidential cases). */
  async function appWith(refreshRotation: RefreshRotation | undefined, name: string): Promise<Required<Client>> {
    const { app, clientSecret } = await registerApp(
      { tenantId: server.tenant.id, name, redirectUris: [WEBAPP_REDIRECT, BACKEND_REDIRECT], ...(refreshRotation ? { refreshRotation } : {}) },
      server.ctx,
    );
    assert.equal(app.refreshRotation, refreshRotation ?? 'public');
    return { clientId: app.clientId, clientSecret };
  }

  /** Tokens as the browser PKCE guide gets them: no secret, offline_access for a refresh token. */
  async function publicTokens(client: Client): Promise<JsonResponse> {
    const verifier = guideCodeVerifier();
    const query = authorizeQuery({
      client_id: client.clientId,
      response_type: 'code',
      redirect_uri: WEBAPP_REDIRECT,
      scope: 'profile offline_access',
      code_challenge: guideCodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const code = await new Browserless(server.url).authorizeCode(query, account);
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: client.clientId, code, code_verifier: verifier });
    assert.equal(token.status, 200, token.text);
    assert.equal(typeof token.body.refresh_token, 'string');
    return token;
  }

  /** Tokens as a backend gets them: the code redeemed with the client secret. */
  async function confidentialTokens(client: Required<Client>): Promise<JsonResponse> {
    const query = authorizeQuery({ client_id: client.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile' });
    const code = await new Browserless(server.url).authorizeCode(query, account);
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret, code });
    assert.equal(token.status, 200, token.text);
    return token;
  }

  const refresh = (client: Client, refreshToken: unknown) =>
    postForm(tokenUrl(server.url), {
      grant_type: 'refresh_token',
      client_id: client.clientId,
      refresh_token: String(refreshToken),
      ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
    });

  async function ok(response: Promise<JsonResponse>, what: string): Promise<Record<string, unknown>> {
    const answer = await response;
    assert.equal(answer.status, 200, `${what}: ${answer.text}`);
    return answer.body;
  }

  async function assertRefused(response: Promise<JsonResponse>, what: string): Promise<void> {
    const answer = await response;
    assert.equal(answer.status, 400, `${what}: ${answer.text}`);
    assert.equal(answer.body.error, 'invalid_grant', what);
  }

  async function assertAccessTokenDead(accessToken: unknown, what: string): Promise<void> {
    assert.deepEqual((await postForm(tokenInfoUrl(server.url), { token: String(accessToken) })).body, { active: false }, `${what} at token_info`);
    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${String(accessToken)}` } });
    assert.equal(me.status, 401, `${what} at /api/users/current`);
  }

  async function assertAccessTokenLive(accessToken: unknown, what: string): Promise<void> {
    assert.equal((await postForm(tokenInfoUrl(server.url), { token: String(accessToken) })).body.active, true, `${what} at token_info`);
    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${String(accessToken)}` } });
    assert.equal(me.status, 200, `${what} at /api/users/current`);
  }

  it("a public client's refresh returns a new refresh token that expires with the old one, and spends the old one", async () => {
    const client = { clientId: server.webapp.clientId }; // the default policy, and no secret sent
    const first = (await publicTokens(client)).body;
    server.clock.advance(10);
    const second = await ok(refresh(client, first.refresh_token), 'first refresh');
    assert.match(String(second.refresh_token), /^ghr_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(second.refresh_token, first.refresh_token, 'a new refresh token');
    assert.equal(second.refresh_token_expires_in, YEAR - 10, 'the family keeps its expiry');
    assert.equal(second.scope, 'profile offline_access');
    server.clock.advance(100);
    const third = await ok(refresh(client, second.refresh_token), 'refreshing with the successor');
    assert.notEqual(third.refresh_token, second.refresh_token);
    assert.notEqual(third.refresh_token, first.refresh_token);
    assert.equal(third.refresh_token_expires_in, YEAR - 110);
    await assertAccessTokenLive(third.access_token, 'the newest access token');
  });

  it('a retry with the previous token within 60 s returns the same successor', async () => {
    const client = { clientId: server.webapp.clientId };
    const first = (await publicTokens(client)).body;
    const lost = await ok(refresh(client, first.refresh_token), 'the refresh whose answer is lost');
    server.clock.advance(30);
    const retried = await ok(refresh(client, first.refresh_token), 'the retry after 30 s');
    assert.equal(retried.refresh_token, lost.refresh_token, 'the same successor');
    assert.notEqual(retried.access_token, lost.access_token, 'with a fresh access token');
    server.clock.advance(30);
    const again = await ok(refresh(client, first.refresh_token), 'a retry after 60 s');
    assert.equal(again.refresh_token, lost.refresh_token);
    // The successor was never used meanwhile, so it is still good, and the family is intact.
    const next = await ok(refresh(client, again.refresh_token), 'refreshing with the recovered successor');
    assert.notEqual(next.refresh_token, again.refresh_token);
    await assertAccessTokenLive(next.access_token, 'the access token from the recovered chain');
    await assertAccessTokenLive(first.access_token, "the family's first access token");
  });

  it('reuse of a spent token after 61 s revokes the family: the successor is refused and its access tokens stop working', async () => {
    const client = { clientId: server.webapp.clientId };
    const first = (await publicTokens(client)).body;
    const second = await ok(refresh(client, first.refresh_token), 'the legitimate refresh');
    server.clock.advance(61);
    await assertRefused(refresh(client, first.refresh_token), 'the spent token, 61 s later');
    await assertRefused(refresh(client, second.refresh_token), 'the successor of a reused token');
    await assertAccessTokenDead(first.access_token, 'the access token of the code');
    await assertAccessTokenDead(second.access_token, 'the access token of the refresh');
    const events = await server.store.audit.list({ tenantId: server.tenant.id, limit: 50 });
    assert.ok(
      events.some((e) => e.type === 'refresh_token_reuse' && e.userId === server.user.id && e.appId === server.webapp.app.id),
      'the reuse is in the audit log',
    );
  });

  it('reuse of a spent token whose successor was already used revokes the family, even within 60 s', async () => {
    const client = { clientId: server.webapp.clientId };
    const first = (await publicTokens(client)).body;
    const second = await ok(refresh(client, first.refresh_token), 'the first refresh');
    const third = await ok(refresh(client, second.refresh_token), 'the successor, used');
    server.clock.advance(5);
    await assertRefused(refresh(client, first.refresh_token), 'the first token again');
    await assertRefused(refresh(client, third.refresh_token), 'the newest token of the revoked family');
    await assertAccessTokenDead(third.access_token, 'the newest access token');
  });

  it("a confidential client keeps its refresh token under the default 'public' policy", async () => {
    const client = server.backend;
    assert.equal(client.app.refreshRotation, 'public');
    const token = (await confidentialTokens(client)).body;
    for (let i = 0; i < 3; i++) {
      server.clock.advance(120);
      const refreshed = await ok(refresh(client, token.refresh_token), `refresh ${i + 1}`);
      assert.equal(refreshed.refresh_token, token.refresh_token, 'the same refresh token comes back');
    }
  });

  it("'always' rotates for confidential clients too, with the same reuse detection", async () => {
    const client = await appWith('always', 'Rotating backend');
    const token = (await confidentialTokens(client)).body;
    const second = await ok(refresh(client, token.refresh_token), 'a refresh with the secret');
    assert.notEqual(second.refresh_token, token.refresh_token);
    const third = await ok(refresh(client, second.refresh_token), 'and with the successor');
    assert.notEqual(third.refresh_token, second.refresh_token);
    server.clock.advance(61);
    await assertRefused(refresh(client, token.refresh_token), 'the first token, spent');
    await assertRefused(refresh(client, third.refresh_token), 'the newest token of the revoked family');
  });

  it("'never' keeps the token for public clients: ilert's sample re-sends the original, minutes apart", async () => {
    const client = { clientId: (await appWith('never', 'Sample webapp without rotation')).clientId };
    const token = (await publicTokens(client)).body;
    for (let click = 1; click <= 3; click++) {
      server.clock.advance(301);
      const refreshed = await ok(refresh(client, token.refresh_token), `click ${click}`);
      assert.equal(refreshed.refresh_token, token.refresh_token, 'the original refresh token comes back');
      await assertAccessTokenLive(refreshed.access_token, `the access token of click ${click}`);
    }
  });

  it('a refresh without rotation records its use at most once a minute, and the grant its activity with it', async () => {
    const client = await appWith('never', 'Busy backend');
    const token = (await confidentialTokens(client)).body;
    const app = await server.store.apps.byClientId(client.clientId);
    const tokenHash = sha256Hex(String(token.refresh_token));
    const lastUse = async () => (await server.store.refreshTokens.byHash(tokenHash))?.lastUsedAt?.getTime() ?? null;
    const lastActivity = async () => (await server.store.grants.listForUser(server.user.id)).find((c) => c.appId === app?.id)?.lastActivityAt.getTime();
    assert.equal(await lastUse(), null, 'not used yet');

    await ok(refresh(client, token.refresh_token), 'the first refresh');
    const first = server.clock.now().getTime();
    assert.equal(await lastUse(), first, 'the first use is recorded');
    assert.equal(await lastActivity(), first);

    for (let i = 0; i < 3; i++) {
      server.clock.advance(19);
      await ok(refresh(client, token.refresh_token), `refresh ${i + 2}, within the minute`);
    }
    assert.equal(await lastUse(), first, 'no write within the minute');
    assert.equal(await lastActivity(), first);

    server.clock.advance(3);
    await ok(refresh(client, token.refresh_token), 'a refresh a minute after the recorded use');
    const later = server.clock.now().getTime();
    assert.equal(later - first, 60_000);
    assert.equal(await lastUse(), later, 'recorded again after a minute');
    assert.equal(await lastActivity(), later);
  });

  it('refresh_token_expires_in: exactly the lifetime for a token issued in the response, the whole seconds left for one that lives on, while the clock moves', async () => {
    // A real clock moves between the grant's reading and the response's; the seeds say 31536000.
    server.clock.tickOnEveryReading(7);
    try {
      const confidential = await appWith('never', 'Clock keeps moving');
      const issued = (await confidentialTokens(confidential)).body;
      assert.equal(issued.refresh_token_expires_in, YEAR, 'a new token from a code with the secret');
      const pkce = (await publicTokens({ clientId: server.webapp.clientId })).body;
      assert.equal(pkce.refresh_token_expires_in, YEAR, 'a new token from a code with PKCE');

      server.clock.advance(10);
      const reused = await ok(refresh(confidential, issued.refresh_token), 'a refresh that keeps the token');
      assert.equal(reused.refresh_token, issued.refresh_token);
      const left = Number(reused.refresh_token_expires_in);
      assert.ok(left <= YEAR - 10 && left >= YEAR - 11, `the seconds the kept token has left: ${left}`);

      const rotated = await ok(refresh({ clientId: server.webapp.clientId }, pkce.refresh_token), 'a rotation');
      const successorLeft = Number(rotated.refresh_token_expires_in);
      assert.ok(successorLeft <= YEAR - 10 && successorLeft >= YEAR - 11, `the successor expires with its family: ${successorLeft}`);
      const retried = await ok(refresh({ clientId: server.webapp.clientId }, pkce.refresh_token), 'a retry of the rotation');
      assert.equal(retried.refresh_token, rotated.refresh_token);
      assert.ok(Number(retried.refresh_token_expires_in) <= successorLeft, 'a retry reports what is left, never more');
    } finally {
      server.clock.tickOnEveryReading(0);
    }
  });

  it('counts a rotated chain as one live token towards the 10 per app and user', async () => {
    const { createUser } = await import('../../src/platform/accounts.ts');
    await createUser({ tenantId: server.tenant.id, username: 'chain', password: PASSWORD }, server.ctx);
    account = { tenant: 'acme', username: 'chain', password: PASSWORD };
    try {
      const client = { clientId: server.webapp.clientId };
      let current = (await publicTokens(client)).body.refresh_token;
      for (let i = 0; i < 12; i++) {
        server.clock.advance(1);
        current = (await ok(refresh(client, current), `rotation ${i + 1}`)).refresh_token;
      }
      // Nine more families: ten live tokens in all, the chain's newest among them.
      for (let i = 0; i < 9; i++) {
        server.clock.advance(1);
        await publicTokens(client);
      }
      // Without counting the chain once, its twelve spent tokens would have made it the surplus.
      const survived = await ok(refresh(client, current), 'the chain survives nine other families');
      assert.notEqual(survived.refresh_token, current);
    } finally {
      account = { tenant: 'acme', username: 'jane', password: PASSWORD };
    }
  });
});

describe('gatehouse apps create --refresh-rotation', () => {
  const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');
  let dir: string;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: '', DATABASE_URL: '' }, encoding: 'utf8' });
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-rotation-cli-'));
    assert.equal(run('migrate').status, 0);
    assert.equal(run('tenants', 'create', 'acme').status, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("registers the policy it is given, 'public' by default, and refuses others", async () => {
    const create = (name: string, ...extra: string[]) => run('apps', 'create', '--tenant', 'acme', '--name', name, '--redirect-uri', 'https://app.example/cb', ...extra);
    for (const policy of ['always', 'never', 'public']) assert.equal(create(`App ${policy}`, '--refresh-rotation', policy).status, 0);
    const plain = create('App default');
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /refresh rotation\s+public/);
    const wrong = create('App wrong', '--refresh-rotation', 'sometimes');
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /always, public, never/);

    const store = await openStore({ dataDir: dir });
    try {
      for (const [name, policy] of [['App always', 'always'], ['App never', 'never'], ['App public', 'public'], ['App default', 'public']]) {
        assert.equal((await store.apps.byName(name ?? ''))?.refreshRotation, policy, name);
      }
      assert.equal(await store.apps.byName('App wrong'), undefined);
    } finally {
      await store.close();
    }
  });
});
