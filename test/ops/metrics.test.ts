// GET /metrics: behind its bearer token, in Prometheus' text format, with requests by route pattern
// and status, tokens by grant and app, OAuth errors by code, sign-ins by outcome, live sessions,
// reuse and replay detections, store latency, event-loop lag and memory. Off unless configured.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { meteredStore } from '../../src/ops/metered-store.ts';
import { METRICS_CONTENT_TYPE, ServerMetrics } from '../../src/ops/metrics.ts';
import { clientLabel } from '../../src/oauth/metrics.ts';
import { Browserless, authorizeQuery, formFields } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { basicAuth, guideCodeChallenge, guideCodeVerifier, postForm, tokenUrl } from '../helpers/token-client.ts';
import { value } from './prometheus-text.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

async function scrape(url: string, token = TOKEN): Promise<{ status: number; text: string; contentType: string | null }> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
}

describe('GET /metrics', () => {
  let server: TestServer;
  let metrics: ServerMetrics;
  let metricsText: string;
  const browser = () => new Browserless(server.url);

  before(async () => {
    metrics = new ServerMetrics();
    server = await startTestServer({
      rateLimits: true,
      wrapStore: (store) => meteredStore(store, metrics),
      appDeps: { metrics: { metrics, endpoint: { token: TOKEN, text: () => metrics.text() } } },
    });
    metrics.readActiveSessionsFrom(() => server.store.status.activeSessions(server.clock.now()));

    // Sign-ins: one failure, then a throttled one after five failures for another username.
    const login = async (b: Browserless, username: string, password: string) => {
      const page = await (await b.request('/login')).text();
      return b.request('/login', { form: { ...formFields(page, '/login'), tenant: 'acme', username, password } });
    };
    assert.equal((await login(browser(), 'jane', 'wrong password')).status, 401);
    const guesser = browser();
    for (let i = 0; i < 5; i++) assert.equal((await login(guesser, 'mallory', `guess ${i}`)).status, 401);
    assert.equal((await login(guesser, 'mallory', 'guess 6')).status, 429);

    // The backend app: a code with the secret, a refresh, a replayed code.
    const jane = browser();
    const code = await jane.authorizeCode(authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile source', state: 's' }), {
      tenant: 'acme',
      username: 'jane',
      password: PASSWORD,
    });
    const basic = { authorization: basicAuth(server.backend.clientId, server.backend.clientSecret) };
    const tokens = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code }, basic);
    assert.equal(tokens.status, 200);
    assert.equal((await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token as string }, basic)).status, 200);
    // The API (before the replay below revokes the token's family): a route with a parameter, and a path no route matches.
    const bearer = { authorization: `Bearer ${tokens.body.access_token as string}` };
    assert.equal((await fetch(`${server.url}/api/alert-sources/123456`, { headers: bearer })).status, 404);
    assert.equal((await fetch(`${server.url}/api/alert-sources/987654`, { headers: bearer })).status, 404);
    assert.equal((await fetch(`${server.url}/wp-login.php`)).status, 404);
    assert.equal((await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code }, basic)).status, 400);
    assert.equal((await postForm(tokenUrl(server.url), { grant_type: 'password' }, basic)).status, 400);
    assert.equal((await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: 'ghr_nope', client_id: server.backend.clientId, client_secret: 'wrong' })).status, 401);

    // The web app: PKCE, a rotated refresh token reused after the retry window.
    const verifier = guideCodeVerifier();
    const pkceCode = await jane.authorizeCode(
      authorizeQuery({ client_id: server.webapp.clientId, response_type: 'code', redirect_uri: WEBAPP_REDIRECT, scope: 'profile offline_access', state: 's', code_challenge: guideCodeChallenge(verifier), code_challenge_method: 'S256' }),
      { tenant: 'acme', username: 'jane', password: PASSWORD },
    );
    const pkce = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code: pkceCode, code_verifier: verifier, client_id: server.webapp.clientId });
    const first = pkce.body.refresh_token as string;
    assert.equal((await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: first, client_id: server.webapp.clientId })).status, 200);
    server.clock.advance(120);
    assert.equal((await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: first, client_id: server.webapp.clientId })).status, 400);


    const scraped = await scrape(server.url);
    assert.equal(scraped.status, 200);
    metricsText = scraped.text;
  });
  after(() => server.close());

  it('refuses a scrape without the bearer token, or with another one', async () => {
    const none = await fetch(`${server.url}/metrics`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    assert.doesNotMatch(await none.text(), /gatehouse_/);
    assert.equal((await scrape(server.url, 'metrics-token-0123456789abcdeX')).status, 401);
    assert.equal((await fetch(`${server.url}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } })).status, 401);
  });

  it('answers in Prometheus text format', async () => {
    const { contentType } = await scrape(server.url);
    assert.equal(contentType, METRICS_CONTENT_TYPE);
    assert.match(metricsText, /^# HELP gatehouse_http_requests_total /m);
    assert.match(metricsText, /^# TYPE gatehouse_http_request_duration_seconds histogram$/m);
  });

  it('counts and times requests by route pattern and status, never by raw URL', () => {
    const item = { method: 'GET', route: '/api/alert-sources/:id', status: '404' };
    assert.equal(value(metricsText, 'gatehouse_http_requests_total', item), 2);
    assert.equal(value(metricsText, 'gatehouse_http_request_duration_seconds_count', item), 2);
    assert.equal(value(metricsText, 'gatehouse_http_request_duration_seconds_bucket', { ...item, le: '+Inf' }), 2);
    assert.ok((value(metricsText, 'gatehouse_http_request_duration_seconds_sum', item) ?? 0) > 0);
    assert.equal(value(metricsText, 'gatehouse_http_requests_total', { method: 'POST', route: '/login', status: '429' }), 1);
    assert.equal(value(metricsText, 'gatehouse_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }), 1);
    assert.ok(!metricsText.includes('123456') && !metricsText.includes('wp-login'), 'no raw paths in labels');
  });

  it('counts tokens issued by grant type and app', () => {
    assert.equal(value(metricsText, 'gatehouse_tokens_issued_total', { grant_type: 'authorization_code', client_id: server.backend.clientId }), 1);
    assert.equal(value(metricsText, 'gatehouse_tokens_issued_total', { grant_type: 'refresh_token', client_id: server.backend.clientId }), 1);
    assert.equal(value(metricsText, 'gatehouse_tokens_issued_total', { grant_type: 'authorization_code', client_id: server.webapp.clientId }), 1);
    assert.equal(value(metricsText, 'gatehouse_tokens_issued_total', { grant_type: 'refresh_token', client_id: server.webapp.clientId }), 1);
  });

  it('counts token endpoint errors by OAuth error code', () => {
    const token = { endpoint: '/api/developers/oauth2/token' };
    assert.equal(value(metricsText, 'gatehouse_oauth_errors_total', { ...token, error: 'invalid_grant' }), 2, 'the replayed code and the reused refresh token');
    assert.equal(value(metricsText, 'gatehouse_oauth_errors_total', { ...token, error: 'unsupported_grant_type' }), 1);
    assert.equal(value(metricsText, 'gatehouse_oauth_errors_total', { ...token, error: 'invalid_client' }), 1);
  });

  it('counts sign-ins by outcome, and reads live sessions from the store', async () => {
    assert.equal(value(metricsText, 'gatehouse_logins_total', { outcome: 'success' }), 1);
    assert.equal(value(metricsText, 'gatehouse_logins_total', { outcome: 'failure' }), 6);
    assert.equal(value(metricsText, 'gatehouse_logins_total', { outcome: 'throttled' }), 1);
    assert.equal(value(metricsText, 'gatehouse_active_sessions'), await server.store.status.activeSessions(server.clock.now()));
    assert.equal(value(metricsText, 'gatehouse_active_sessions'), 1);
  });

  it('counts refresh-token reuse and code replays', () => {
    assert.equal(value(metricsText, 'gatehouse_refresh_token_reuse_total'), 1);
    assert.equal(value(metricsText, 'gatehouse_code_replays_total'), 1);
  });

  it('times store operations by name', () => {
    assert.ok((value(metricsText, 'gatehouse_store_operation_duration_seconds_count', { operation: 'apps.byClientId', outcome: 'ok' }) ?? 0) >= 4);
    assert.ok((value(metricsText, 'gatehouse_store_operation_duration_seconds_count', { operation: 'codes.consume', outcome: 'ok' }) ?? 0) >= 1);
  });

  it("has Node's event-loop lag and memory", () => {
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      assert.ok(value(metricsText, name) !== undefined, name);
    }
  });

  it('keeps the last session count when the database is away during a scrape', async () => {
    metrics.readActiveSessionsFrom(() => Promise.reject(new Error('database away')));
    const during = await scrape(server.url);
    assert.equal(during.status, 200);
    assert.equal(value(during.text, 'gatehouse_active_sessions'), 1);
  });
});

describe('the app label of token metrics', () => {
  it('names console apps by client id, and clients anyone can create by their kind only, so labels stay bounded', () => {
    assert.equal(clientLabel({ clientId: '0123456789abcdef0123', registration: 'console' }), '0123456789abcdef0123');
    assert.equal(clientLabel({ clientId: 'fedcba9876543210fedc', registration: 'dynamic' }), '(dynamic)');
    assert.equal(clientLabel({ clientId: 'https://agent.example/client.json', registration: 'metadata_document' }), '(metadata_document)');
  });
});

describe('metrics store wrapper', () => {
  it('times failures as errors and passes results and errors through', async () => {
    const metrics = new ServerMetrics();
    const server = await startTestServer();
    try {
      const store = meteredStore({ ...server.store, apps: { ...server.store.apps, byId: () => Promise.reject(new Error('boom')) } }, metrics);
      assert.equal((await store.tenants.bySlug('acme'))?.slug, 'acme');
      await assert.rejects(store.apps.byId(1), /boom/);
      const text = await metrics.text();
      assert.equal(value(text, 'gatehouse_store_operation_duration_seconds_count', { operation: 'tenants.bySlug', outcome: 'ok' }), 1);
      assert.equal(value(text, 'gatehouse_store_operation_duration_seconds_count', { operation: 'apps.byId', outcome: 'error' }), 1);
      assert.equal(store.dialect, server.store.dialect);
    } finally {
      await server.close();
    }
  });
});

describe('without metrics configured', () => {
  it('has no /metrics at all', async () => {
    const server = await startTestServer();
    try {
      assert.equal((await scrape(server.url)).status, 404);
    } finally {
      await server.close();
    }
  });
});
