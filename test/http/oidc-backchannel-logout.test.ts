// OpenID Connect Back-Channel Logout 1.0: signing out sends a logout token to each app the session
// signed in that registered a backchannel_logout_uri, verified here as a relying party would; an
// app of another session hears nothing; a failing app is retried with backoff and given up on;
// two instances on one database send each token once; refresh tokens of the session without
// offline_access end, others (and ilert's plain OAuth grants) stay; self-registered apps' URIs
// pass the SSRF guard.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { oauthContext } from '../../src/platform/context.ts';
import { deliverDueLogouts, MAX_DELIVERY_ATTEMPTS, RETRY_DELAYS_SECONDS } from '../../src/platform/logout-delivery.ts';
import { endSessionsOf } from '../../src/platform/login.ts';
import { deriveTokenKey } from '../../src/oauth/refresh-rotation.ts';
import { Browserless, authorizeQuery, formFields } from '../helpers/browserless.ts';
import { LogoutReceiver } from '../helpers/logout-receiver.ts';
import { register, type Registered } from '../helpers/registration.ts';
import { BACKEND_REDIRECT, PASSWORD, TEST_SECRET, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import type { Store } from '../../src/store/store.ts';
import { guideCodeChallenge, guideCodeVerifier, postForm, tokenUrl } from '../helpers/token-client.ts';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const JANE = { tenant: 'acme', username: 'jane', password: PASSWORD };

/** Polls until `check` holds (background work finishing), failing after 5 s. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

forEachStore('OpenID Connect back-channel logout', (kind) => {
  let server: TestServer;
  let receiver: LogoutReceiver;
  before(async () => {
    receiver = await LogoutReceiver.start();
    // The timer is off: the tests drive retries themselves; a session's end still wakes delivery.
    server = await startTestServer({ store: kind.name, appDeps: { logoutDelivery: { intervalSeconds: 0 } } });
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  const setUri = (appId: number, uri: string | null) => server.store.apps.update(appId, { backchannelLogoutUri: uri }, server.clock.now());

  type Client = TestServer['backend'];
  /** Signs the browser in for the app (scope as given) and exchanges the code: the token response. */
  async function signIn(browser: Browserless, client: Client, redirectUri: string, scope: string) {
    const code = await browser.authorizeCode(authorizeQuery({ client_id: client.clientId, response_type: 'code', redirect_uri: redirectUri, scope, state: 's' }), JANE);
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret, code });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    return token.body;
  }

  /** POST /logout with the home page's form, as a person clicking "Sign out". */
  async function signOut(browser: Browserless) {
    const fields = formFields(await (await browser.request('/')).text(), '/logout');
    const out = await browser.request('/logout', { form: fields });
    assert.equal(out.status, 303);
  }

  const refresh = (client: Client, refreshToken: unknown) =>
    postForm(tokenUrl(server.url), { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret, refresh_token: String(refreshToken) });

  it('signing out sends the app of the session a logout token a relying party accepts; the app of another session gets none', async () => {
    await setUri(server.backend.app.id, receiver.uri('/backend'));
    await setUri(server.webapp.app.id, receiver.uri('/webapp'));
    const browser = new Browserless(server.url);
    const tokens = await signIn(browser, server.backend, BACKEND_REDIRECT, 'openid profile');
    const idToken = decodeJwt(String(tokens.id_token));
    // The web app is signed in by another browser, another session.
    await signIn(new Browserless(server.url), server.webapp, WEBAPP_REDIRECT, 'openid');

    const started = Date.now();
    await signOut(browser);
    const [received] = await receiver.waitFor('/backend');
    assert.ok(Date.now() - started < 4000, 'the first attempt does not wait for a timer');
    assert.equal(received?.contentType, 'application/x-www-form-urlencoded');
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(received?.logoutToken ?? '', jwks, { issuer: server.url, audience: server.backend.clientId, typ: 'logout+jwt' });
    assert.equal(protectedHeader.kid, server.ctx.keys.signing.kid);
    assert.deepEqual(payload.events, { [EVENT]: {} });
    assert.equal(payload.sid, idToken.sid);
    assert.equal(payload.sub, idToken.sub);
    assert.equal(payload.nonce, undefined);
    assert.match(String(payload.jti), /^[0-9a-f]{32}$/);
    const lifetime = (payload.exp as number) - (payload.iat as number);
    assert.ok(lifetime > 0 && lifetime <= 120, `exp - iat = ${lifetime}`);

    await until(async () => (await server.store.logouts.pending()).length === 0, 'the delivery to be done');
    await deliverDueLogouts(server.ctx);
    assert.equal(receiver.at('/webapp').length, 0, 'the web app shared no session with this browser');
    const events = await server.store.audit.list({ tenantId: server.tenant.id, limit: 20 });
    const delivered = events.find((e) => e.type === 'backchannel_logout_delivered');
    assert.equal(delivered?.appId, server.backend.app.id);
    assert.equal(delivered?.userId, server.user.id);
    assert.ok(!events.some((e) => e.detail.includes(received?.logoutToken ?? '-')), 'no token in the audit log');
    await setUri(server.webapp.app.id, null);
  });

  it('ending a session revokes its OpenID Connect refresh tokens without offline_access, and nothing else', async () => {
    await setUri(server.backend.app.id, null);
    const browser = new Browserless(server.url);
    const online = await signIn(browser, server.backend, BACKEND_REDIRECT, 'openid profile');
    const offline = await signIn(browser, server.webapp, WEBAPP_REDIRECT, 'openid offline_access');
    // ilert's request: no openid, in the same session.
    const ilert = await signIn(browser, server.backend, BACKEND_REDIRECT, 'profile');
    for (const token of [online, offline, ilert]) assert.ok(token.refresh_token, 'each has a refresh token');
    await signOut(browser);

    const refused = await refresh(server.backend, online.refresh_token);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_grant');
    assert.equal((await refresh(server.webapp, offline.refresh_token)).status, 200, 'offline_access outlives the session');
    const kept = await refresh(server.backend, ilert.refresh_token);
    assert.equal(kept.status, 200, 'a plain OAuth grant is untouched');
    assert.equal(kept.body.id_token, undefined);
  });

  it('a failing app is retried with backoff, the error kept, then given up on and audited', async () => {
    await setUri(server.backend.app.id, receiver.uri('/failing'));
    receiver.statusOf.set('/failing', 500);
    const browser = new Browserless(server.url);
    await signIn(browser, server.backend, BACKEND_REDIRECT, 'openid');
    await signOut(browser);
    await receiver.waitFor('/failing', 1);
    const pendingOne = async () => (await server.store.logouts.pending())[0];
    await until(async () => (await pendingOne())?.lastError === 'it answered HTTP 500', 'the first failure to be recorded');

    for (const [index, delay] of RETRY_DELAYS_SECONDS.entries()) {
      const row = await pendingOne();
      assert.equal(row?.attempts, index + 1);
      assert.equal(row?.nextAttemptAt.getTime(), server.clock.now().getTime() + delay * 1000, `retry ${index + 1} waits ${delay} s`);
      server.clock.advance(delay - 1);
      assert.deepEqual(await deliverDueLogouts(server.ctx), { delivered: 0, retrying: 0, failed: 0 }, 'not due yet');
      server.clock.advance(1);
      const run = await deliverDueLogouts(server.ctx);
      assert.equal(receiver.at('/failing').length, index + 2);
      assert.deepEqual(run, index + 2 < MAX_DELIVERY_ATTEMPTS ? { delivered: 0, retrying: 1, failed: 0 } : { delivered: 0, retrying: 0, failed: 1 });
    }
    assert.deepEqual(await server.store.logouts.pending(), [], 'given up');
    const failed = (await server.store.audit.list({ tenantId: server.tenant.id, limit: 20 })).find((e) => e.type === 'backchannel_logout_failed');
    assert.equal(failed?.appId, server.backend.app.id);
    assert.match(failed?.detail ?? '', /HTTP 500; gave up after 6 attempts/);
    await setUri(server.backend.app.id, null);
  });

});

forEachStore('back-channel logout across instances', (kind) => {
  let server: TestServer;
  let receiver: LogoutReceiver;
  let second: Store;
  before(async () => {
    receiver = await LogoutReceiver.start();
    const database = await kind.database();
    server = await startTestServer({ database, appDeps: { logoutDelivery: { intervalSeconds: 0 } } });
    second = await database.open();
  });
  after(async () => {
    await second.close();
    await server.close();
    await receiver.close();
  });

  it('two instances on one database, claiming at once, send each logout token once', async () => {
    await server.store.apps.update(server.backend.app.id, { backchannelLogoutUri: receiver.uri('/shared') }, server.clock.now());
    const sessions = 6;
    for (let i = 0; i < sessions; i += 1) {
      const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', state: 's' });
      await new Browserless(server.url).authorizeCode(query, JANE);
    }
    // Ended through the test's own context, which has no deliverer to wake: all stay queued.
    assert.equal(await endSessionsOf(server.user.id, server.ctx), sessions);
    assert.equal((await server.store.logouts.pending()).length, sessions);

    const other = oauthContext({ config: { publicUrl: server.url }, store: second, keys: server.ctx.keys, clock: server.clock, tokenKey: deriveTokenKey(TEST_SECRET) });
    const runs = await Promise.all([server.ctx, other, server.ctx, other].map((ctx) => deliverDueLogouts(ctx)));
    assert.equal(runs.reduce((sum, run) => sum + run.delivered, 0), sessions);
    const received = receiver.at('/shared');
    assert.equal(received.length, sessions, 'one POST per session');
    assert.equal(new Set(received.map((r) => decodeJwt(r.logoutToken ?? '').sid)).size, sessions, 'one per sid');
    assert.deepEqual(await server.store.logouts.pending(), []);
  });
});

forEachStore('back-channel logout to self-registered apps (SSRF)', (kind) => {
  let receiver: LogoutReceiver;
  before(async () => {
    receiver = await LogoutReceiver.start();
  });
  after(() => receiver.close());

  /** A dynamically registered public client that signed jane in with openid, its back-channel URI on loopback; then jane signs out. */
  async function signInAndOut(server: TestServer, path: string) {
    const redirectUri = 'http://127.0.0.1:4599/cb';
    const registered = (await register(server.url, { client_name: 'Self-registered', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' })).body as Registered;
    const app = await server.store.apps.byClientId(registered.client_id);
    assert.equal(app?.registration, 'dynamic');
    await server.store.apps.update(app.id, { backchannelLogoutUri: receiver.uri(path) }, server.clock.now());
    const browser = new Browserless(server.url);
    const query = authorizeQuery({ client_id: registered.client_id, response_type: 'code', redirect_uri: redirectUri, scope: 'openid', code_challenge: guideCodeChallenge(guideCodeVerifier()), code_challenge_method: 'S256' });
    await browser.authorizeCode(query, JANE);
    const fields = formFields(await (await browser.request('/')).text(), '/logout');
    assert.equal((await browser.request('/logout', { form: fields })).status, 303);
    return app.id;
  }

  it('refuses a loopback URI of a dynamic client at once, audited', async () => {
    const server = await startTestServer({ store: kind.name, config: { registration: 'open' }, appDeps: { logoutDelivery: { intervalSeconds: 0 } } });
    try {
      const appId = await signInAndOut(server, '/guarded');
      await until(async () => (await server.store.audit.list({ limit: 50 })).some((e) => e.type === 'backchannel_logout_failed'), 'the refusal');
      const failed = (await server.store.audit.list({ limit: 50 })).find((e) => e.type === 'backchannel_logout_failed');
      assert.equal(failed?.appId, appId);
      assert.match(failed?.detail ?? '', /127\.0\.0\.1, a loopback address, .*gave up after 1 attempt$/);
      assert.equal(receiver.at('/guarded').length, 0, 'nothing was sent');
      assert.deepEqual(await server.store.logouts.pending(), []);
    } finally {
      await server.close();
    }
  });

  it('delivers to it when GATEHOUSE_CIMD_ALLOW_LOOPBACK is on', async () => {
    const server = await startTestServer({ store: kind.name, config: { registration: 'open', cimdAllowLoopback: true }, appDeps: { logoutDelivery: { intervalSeconds: 0 } } });
    try {
      await signInAndOut(server, '/allowed');
      await receiver.waitFor('/allowed');
    } finally {
      await server.close();
    }
  });
});
