// @gatehouse/client against a real Gatehouse: the PKCE public client (the `webapp` app) and the
// confidential client (the `backend` app) through the real sign-in and consent pages, refresh with
// and without rotation, token_info, revocation, discovery and the TokenManager's fetch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CallbackValidationError,
  LoginRequiredError,
  OAuthClientError,
  TokenManager,
  buildAuthorizeUrl,
  createPkcePair,
  createState,
  discover,
  exchangeCode,
  finishAuthorization,
  handleCallback,
  refresh,
  revoke,
  startAuthorization,
  tokenInfo,
  type ClientConfig,
  type FetchLike,
  type WebStorageLike,
} from '@gatehouse/client';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';

const jane = { tenant: 'acme', username: 'jane', password: PASSWORD };

describe('@gatehouse/client against a real server', () => {
  let server: TestServer;
  let webapp: ClientConfig;
  let backend: ClientConfig;
  before(async () => {
    server = await startTestServer();
    webapp = { baseUrl: server.url, clientId: server.webapp.clientId, redirectUri: WEBAPP_REDIRECT };
    backend = { baseUrl: server.url, clientId: server.backend.clientId, clientSecret: server.backend.clientSecret, redirectUri: BACKEND_REDIRECT };
  });
  after(() => server.close());

  /** Sends jane through sign-in and consent for this authorize URL; returns where the browser lands. */
  async function visit(authorizeUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
    const url = new URL(authorizeUrl);
    assert.equal(url.origin, server.url);
    const { location } = await new Browserless(server.url).authorize(url.search.slice(1), { ...jane, decision });
    assert.ok(location, 'the server redirected back to the app');
    return location;
  }

  /** Counts the SDK's token-endpoint requests. */
  function countingFetch(): { fetch: FetchLike; tokenRequests: () => number } {
    let count = 0;
    return {
      fetch: (input, init) => {
        if (new Request(input, init).url.endsWith('/api/developers/oauth2/token')) count++;
        return fetch(input, init);
      },
      tokenRequests: () => count,
    };
  }

  it('public client: PKCE, offline_access, rotation on refresh, token_info, /api/users/current, revoke', async () => {
    const pkce = await createPkcePair();
    const state = createState();
    const callback = await visit(buildAuthorizeUrl(webapp, { scope: ['profile', 'offline_access'], state, codeChallenge: pkce.challenge }));
    const { code, iss } = handleCallback({ ...webapp, requireIss: true }, callback, { expectedState: state });
    assert.equal(iss, server.url);

    const tokens = await exchangeCode(webapp, { code, codeVerifier: pkce.verifier });
    assert.equal(tokens.scope, 'profile offline_access');
    assert.ok(tokens.refreshToken?.startsWith('ghr_'));
    assert.ok(tokens.expiresAt && Math.abs(tokens.expiresAt - (Date.now() + 3600_000)) < 10_000);

    const info = await tokenInfo(webapp, tokens.accessToken);
    assert.deepEqual(info, { active: true, tenant_id: 'acme', username: 'jane', scope: 'profile offline_access', app_id: info.active ? info.app_id : -1, aud: `${server.url}/api` });

    const refreshed = await refresh(webapp, tokens.refreshToken ?? '');
    assert.ok(refreshed.refreshToken && refreshed.refreshToken !== tokens.refreshToken, 'a public client gets a new refresh token');

    const manager = new TokenManager(webapp);
    await manager.setTokens(refreshed);
    const me = await manager.fetch('/api/users/current', { headers: { accept: 'application/json' } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { username: string }).username, 'jane');

    await manager.logout();
    assert.deepEqual(await tokenInfo(webapp, refreshed.accessToken), { active: false }, 'revoking the refresh token ended its access token');
    await assert.rejects(refresh(webapp, refreshed.refreshToken), (e: unknown) => e instanceof OAuthClientError && e.code === 'invalid_grant' && e.status === 400);
    await assert.rejects(manager.fetch('/api/users/current'), LoginRequiredError);
  });

  for (const method of ['client_secret_post', 'client_secret_basic'] as const) {
    it(`confidential client (${method}): code with secret and PKCE, refresh keeps its token, revoke`, async () => {
      const config: ClientConfig = { ...backend, clientAuthMethod: method };
      const pkce = await createPkcePair();
      const state = JSON.stringify({ bla: 'some other data' });
      const callback = await visit(buildAuthorizeUrl(config, { scope: 'profile source:w', state, codeChallenge: pkce.challenge }));
      const { code } = handleCallback(config, callback, { expectedState: state });
      const tokens = await exchangeCode(config, { code, codeVerifier: pkce.verifier });
      assert.equal(tokens.scope, 'profile source:w');
      assert.ok(tokens.refreshToken, 'a client that sent its secret gets a refresh token without offline_access');

      const refreshed = await refresh(config, tokens.refreshToken);
      assert.equal(refreshed.refreshToken, tokens.refreshToken, 'with the secret the refresh token stays the same');
      assert.notEqual(refreshed.accessToken, tokens.accessToken);

      await assert.rejects(
        refresh({ ...config, clientSecret: 'wrong' }, tokens.refreshToken),
        (e: unknown) => e instanceof OAuthClientError && e.code === 'invalid_client' && e.status === 401,
      );

      await revoke(config, tokens.refreshToken);
      assert.deepEqual(await tokenInfo(config, refreshed.accessToken), { active: false });
    });
  }

  it('confidential client without PKCE, as ilert’s backend guide does it', async () => {
    const state = createState();
    const { code } = handleCallback(backend, await visit(buildAuthorizeUrl(backend, { scope: 'profile', state })), { expectedState: state });
    const tokens = await exchangeCode(backend, { code });
    assert.equal((await tokenInfo(backend, tokens.accessToken)).active, true);
    // A replayed code is refused, and the server ends what the first use issued.
    await assert.rejects(exchangeCode(backend, { code }), (e: unknown) => e instanceof OAuthClientError && e.code === 'invalid_grant' && e.status === 400);
    assert.equal((await tokenInfo(backend, tokens.accessToken)).active, false);
  });

  it('Cancel on the consent page surfaces as OAuthClientError access_denied; a foreign state is refused', async () => {
    const pkce = await createPkcePair();
    const state = createState();
    // A scope jane has not granted this app yet, so the consent page is shown.
    const url = buildAuthorizeUrl(webapp, { scope: 'incident', state, codeChallenge: pkce.challenge });
    const denied = await visit(url, 'deny');
    assert.throws(() => handleCallback(webapp, denied, { expectedState: state }), (e: unknown) => e instanceof OAuthClientError && e.code === 'access_denied' && e.status === undefined);
    const allowed = await visit(url);
    assert.throws(() => handleCallback(webapp, allowed, { expectedState: createState() }), (e: unknown) => e instanceof CallbackValidationError && e.reason === 'state_mismatch');
    assert.throws(
      () => handleCallback({ ...webapp, issuer: 'https://another-server.example' }, allowed, { expectedState: state }),
      (e: unknown) => e instanceof CallbackValidationError && e.reason === 'issuer_mismatch',
    );
  });

  it('discovery gives a working config; startAuthorization/finishAuthorization keep PKCE and state across the redirect', async () => {
    const discovered = await discover(server.url);
    assert.equal(discovered.requireIss, true);
    assert.equal(discovered.endpoints.token, `${server.url}/api/developers/oauth2/token`);
    const config: ClientConfig = { ...discovered, clientId: server.webapp.clientId, redirectUri: WEBAPP_REDIRECT };
    const items = new Map<string, string>();
    const storage: WebStorageLike = { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };

    const callback = await visit(await startAuthorization(config, { scope: 'profile offline_access', storage }));
    assert.equal(items.size, 1, 'the verifier and state wait in storage');
    const tokens = await finishAuthorization(config, callback, { storage });
    assert.equal(items.size, 0, 'and are used once');
    assert.equal((await tokenInfo(config, tokens.accessToken)).active, true);
    await assert.rejects(finishAuthorization(config, callback, { storage }), (e: unknown) => e instanceof CallbackValidationError && e.reason === 'no_pending_authorization');
  });

  it('TokenManager: proactive refresh, one refresh for 10 concurrent requests (rotation survives), retry after a 401', async () => {
    const pkce = await createPkcePair();
    const state = createState();
    const { code } = handleCallback(webapp, await visit(buildAuthorizeUrl(webapp, { scope: 'profile offline_access', state, codeChallenge: pkce.challenge })), { expectedState: state });
    const counting = countingFetch();
    let now = Date.now();
    const config: ClientConfig = { ...webapp, fetch: counting.fetch, now: () => now };
    const manager = new TokenManager(config);
    await manager.setTokens(await exchangeCode(config, { code, codeVerifier: pkce.verifier }));
    assert.equal(counting.tokenRequests(), 1);

    // 30 s before expiry (by the SDK's clock), ten requests at once: one refresh, all succeed.
    const first = await manager.getTokens();
    now = (first?.expiresAt ?? 0) - 30_000;
    const responses = await Promise.all(Array.from({ length: 10 }, () => manager.fetch('/api/users/current')));
    assert.deepEqual(responses.map((r) => r.status), Array(10).fill(200));
    assert.equal(counting.tokenRequests(), 2, 'one refresh for ten callers');
    const second = await manager.getTokens();
    assert.notEqual(second?.refreshToken, first?.refreshToken, 'rotated');

    // The rotated chain is intact (no reuse was detected): the next refresh works.
    await manager.refresh();
    assert.equal(counting.tokenRequests(), 3);

    // An access token the server no longer accepts: 401, refresh, retry.
    const current = await manager.getTokens();
    assert.ok(current);
    await manager.setTokens({ ...current, accessToken: 'not-a-valid-token' });
    const me = await manager.fetch('/api/users/current');
    assert.equal(me.status, 200);
    assert.equal(counting.tokenRequests(), 4);
    assert.equal((await tokenInfo(config, (await manager.getTokens())?.accessToken ?? '')).active, true);
  });
});
