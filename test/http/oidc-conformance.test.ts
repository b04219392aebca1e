// The OpenID Foundation's Basic OP conformance plan (oidcc-basic-certification-test-plan), module
// by module, as far as a code-flow-only provider is concerned, and its RP-initiated logout plan
// (oidcc-rp-initiated-logout-certification-test-plan): each `it` names the module it is modelled on. The suite runs against a real server over HTTP; the ID tokens are checked with jose
// against the published JWKS, never with Gatehouse's own code.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

const ACCOUNT = { tenant: 'acme', username: 'jane', password: PASSWORD };
const AUTHORIZE = '/api/developers/oauth2/authorize';
/** The backend app's registered post-logout URI, with a query of its own (oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri). */
const POST_LOGOUT = 'http://localhost:4597/signed-out?keep=1';

forEachStore('OpenID Connect Basic OP conformance', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    await server.store.apps.update(server.backend.app.id, { postLogoutRedirectUris: [POST_LOGOUT] }, server.clock.now());
  });
  after(() => server.close());

  const query = (extra: Record<string, string>) => new URLSearchParams({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, state: 'st-1', scope: 'openid', ...extra }).toString();

  /** The authorization response after signing in (when asked) and allowing (when asked). */
  async function authorize(extra: Record<string, string>, browser = new Browserless(server.url)): Promise<URL> {
    const { location, response } = await browser.authorize(query(extra), ACCOUNT);
    return location ?? assert.fail(`no redirect back: ${response.status}`);
  }

  /** The response to a request that must not show any page (prompt=none): a redirect, at once. */
  async function redirectedAtOnce(extra: Record<string, string>, browser: Browserless): Promise<URL> {
    const response = await browser.request(`${AUTHORIZE}?${query(extra)}`);
    assert.equal(response.status, 302, 'no page shown');
    return new URL(response.headers.get('location') ?? assert.fail('a Location'));
  }

  async function exchange(location: URL) {
    const code = location.searchParams.get('code') ?? assert.fail(`a code, not ${location.search}`);
    const response = await postForm(tokenUrl(server.url), { client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code, grant_type: 'authorization_code' });
    assert.equal(response.status, 200, response.text);
    return response.body;
  }

  async function idToken(token: Record<string, unknown>): Promise<JWTPayload> {
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(String(token.id_token), jwks, { issuer: server.url, audience: server.backend.clientId, typ: 'JWT' });
    return payload;
  }

  const userinfo = async (accessToken: unknown, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}/oauth2/userinfo`, { ...init, headers: { authorization: `Bearer ${String(accessToken)}`, ...(init.headers ?? {}) } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('oidcc-server: the code flow returns a verifiable ID token with every required claim', async () => {
    const token = await exchange(await authorize({}));
    const claims = await idToken(token);
    for (const name of ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time']) assert.ok(claims[name] !== undefined, name);
    const atHash = createHash('sha256').update(String(token.access_token)).digest().subarray(0, 16).toString('base64url');
    assert.equal(claims.at_hash, atHash);
  });

  it('oidcc-response-type-missing: an error at the redirect, with state', async () => {
    const location = await authorize({ response_type: '' });
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('state'), 'st-1');
  });

  it('oidcc-ensure-request-without-nonce-succeeds-for-code-flow, and a nonce is echoed when sent', async () => {
    assert.equal((await idToken(await exchange(await authorize({})))).nonce, undefined);
    assert.equal((await idToken(await exchange(await authorize({ nonce: 'n-0S6_WzA2Mj' })))).nonce, 'n-0S6_WzA2Mj');
  });

  it('oidcc-scope-profile, oidcc-scope-email, oidcc-scope-all: UserInfo claims follow the scopes', async () => {
    const only = await userinfo((await exchange(await authorize({ scope: 'openid' }))).access_token);
    assert.equal(only.status, 200);
    assert.equal(only.body.email, undefined);
    assert.equal(only.body.name, undefined);
    const profile = await userinfo((await exchange(await authorize({ scope: 'openid profile' }))).access_token);
    assert.equal(profile.body.name, 'Jane Doe');
    assert.equal(profile.body.email, undefined);
    const email = await userinfo((await exchange(await authorize({ scope: 'openid email' }))).access_token);
    assert.equal(email.body.email, 'jane@acme.example');
    assert.equal(email.body.name, undefined);
    const all = await userinfo((await exchange(await authorize({ scope: 'openid profile email phone' }))).access_token);
    assert.equal(all.body.email, 'jane@acme.example');
    assert.equal(all.body.preferred_username, 'jane');
    for (const body of [only.body, profile.body, email.body, all.body]) assert.equal(body.sub, String(server.user.id));
  });

  it('oidcc-ensure-other-scope-order-succeeds', async () => {
    const token = await exchange(await authorize({ scope: 'email openid' }));
    assert.ok(token.id_token);
  });

  it('oidcc-userinfo-get, oidcc-userinfo-post-header: both methods answer', async () => {
    const token = await exchange(await authorize({ scope: 'openid profile' }));
    assert.equal((await userinfo(token.access_token)).status, 200);
    assert.equal((await userinfo(token.access_token, { method: 'POST' })).status, 200);
  });

  it('oidcc-ensure-request-with-unknown-parameter-succeeds, oidcc-display-page, oidcc-display-popup, oidcc-claims-locales', async () => {
    for (const extra of [{ unknown_parameter: 'x' }, { display: 'page' }, { display: 'popup' }, { claims_locales: 'de en' }] as Record<string, string>[]) {
      assert.ok((await authorize(extra)).searchParams.get('code'), JSON.stringify(extra));
    }
  });

  it('oidcc-prompt-none-not-logged-in: login_required at the redirect, with state', async () => {
    const location = await redirectedAtOnce({ prompt: 'none' }, new Browserless(server.url));
    assert.equal(location.searchParams.get('error'), 'login_required');
    assert.equal(location.searchParams.get('state'), 'st-1');
    assert.equal(location.searchParams.get('iss'), server.url);
  });

  it('oidcc-prompt-none-logged-in: a code at once, for the same user', async () => {
    const browser = new Browserless(server.url);
    const first = await idToken(await exchange(await authorize({}, browser)));
    const again = await idToken(await exchange(await redirectedAtOnce({ prompt: 'none' }, browser)));
    assert.equal(again.sub, first.sub);
  });

  it('oidcc-prompt-login: the password is asked again, and auth_time moves on', async () => {
    const browser = new Browserless(server.url);
    const first = await idToken(await exchange(await authorize({}, browser)));
    server.clock.advance(5);
    const page = await browser.request(`${AUTHORIZE}?${query({ prompt: 'login' })}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /name="password"/);
    const second = await idToken(await exchange(await authorize({ prompt: 'login' }, browser)));
    assert.ok(Number(second.auth_time) >= Number(first.auth_time) + 5);
  });

  it('oidcc-max-age-1: an older sign-in is asked for again; oidcc-max-age-10000: a recent one is not', async () => {
    const browser = new Browserless(server.url);
    const first = await idToken(await exchange(await authorize({}, browser)));
    server.clock.advance(2);
    const recent = await idToken(await exchange(await redirectedAtOnce({ max_age: '10000' }, browser)));
    assert.equal(recent.auth_time, first.auth_time);
    const page = await browser.request(`${AUTHORIZE}?${query({ max_age: '1' })}`);
    assert.match(await page.text(), /name="password"/, 'signed in over a second ago: sign in again');
    const fresh = await idToken(await exchange(await authorize({ max_age: '1' }, browser)));
    assert.ok(Number(fresh.auth_time) > Number(first.auth_time));
  });

  it('oidcc-id-token-hint: prompt=none with the ID token of the signed-in user returns a code', async () => {
    const browser = new Browserless(server.url);
    const token = await exchange(await authorize({}, browser));
    const location = await redirectedAtOnce({ prompt: 'none', id_token_hint: String(token.id_token) }, browser);
    assert.equal((await idToken(await exchange(location))).sub, (await idToken(token)).sub);
  });

  it('oidcc-login-hint, oidcc-ui-locales, oidcc-ensure-request-with-acr-values-succeeds', async () => {
    const page = await new Browserless(server.url).request(`${AUTHORIZE}?${query({ login_hint: 'jane' })}`);
    assert.match(await page.text(), /value="jane"/, 'the username is prefilled');
    for (const extra of [{ ui_locales: 'de-DE en' }, { acr_values: 'urn:mace:incommon:iap:silver' }] as Record<string, string>[]) {
      assert.ok((await authorize(extra)).searchParams.get('code'), JSON.stringify(extra));
    }
  });

  it('oidcc-codereuse: a second exchange fails and ends what the first one issued', async () => {
    const location = await authorize({ scope: 'openid profile' });
    const token = await exchange(location);
    const again = await postForm(tokenUrl(server.url), { client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code: location.searchParams.get('code') ?? '', grant_type: 'authorization_code' });
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    assert.equal((await userinfo(token.access_token)).status, 401, 'the first exchange\'s access token is revoked');
  });

  it('oidcc-ensure-registered-redirect-uri, oidcc-redirect-uri-query-mismatch: no redirect to an unregistered URI', async () => {
    for (const redirect_uri of ['https://attacker.example/cb', `${BACKEND_REDIRECT}?extra=1`, `${BACKEND_REDIRECT}/more`]) {
      const response = await new Browserless(server.url).request(`${AUTHORIZE}?${query({ redirect_uri })}`);
      assert.equal(response.status, 400, redirect_uri);
      assert.equal(response.headers.get('location'), null);
    }
  });

  it('oidcc-ensure-redirect-uri-in-authorization-request: without redirect_uri, an error page', async () => {
    const params = new URLSearchParams(query({}));
    params.delete('redirect_uri');
    const response = await new Browserless(server.url).request(`${AUTHORIZE}?${params.toString()}`);
    assert.equal(response.status, 400);
  });

  it('oidcc-server-rotate-keys: after a rotation the ID token has the new kid, and the JWKS has both', async () => {
    const before = decodeProtectedHeader(String((await exchange(await authorize({}))).id_token)).kid;
    await server.ctx.keys.rotate();
    const token = await exchange(await authorize({}));
    const kid = decodeProtectedHeader(String(token.id_token)).kid;
    assert.notEqual(kid, before);
    await idToken(token);
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    for (const id of [before, kid]) assert.ok(jwks.keys.some((key) => key.kid === id), `kid ${id} published`);
  });

  it('oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported: request and request_uri are refused as unsupported', async () => {
    const object = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ scope: 'openid email' })).toString('base64url')}.`;
    assert.equal((await authorize({ request: object })).searchParams.get('error'), 'request_not_supported');
    assert.equal((await authorize({ request_uri: 'https://rp.example/request.jwt' })).searchParams.get('error'), 'request_uri_not_supported');
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(discovery.request_parameter_supported, false);
    assert.equal(discovery.request_uri_parameter_supported, false, 'it defaults to true when left out');
  });

  it('oidcc-claims-essential: an essential claim asked for by the claims parameter is in UserInfo', async () => {
    const claims = JSON.stringify({ userinfo: { name: { essential: true } } });
    const info = await userinfo((await exchange(await authorize({ claims }))).access_token);
    assert.equal(info.body.name, 'Jane Doe');
  });

  it('oidcc-ensure-post-request-succeeds: the authorization request may be a POST', async () => {
    const browser = new Browserless(server.url);
    await authorize({}, browser);
    const form: [string, string][] = [...new URLSearchParams(query({ prompt: 'none', resource: `${server.url}/api` }))];
    const posted = await browser.request(AUTHORIZE, { form });
    assert.equal(posted.status, 303, 'to the same request as a GET');
    const location = await browser.request(posted.headers.get('location') ?? assert.fail('a Location'));
    assert.equal(location.status, 302);
    assert.ok(new URL(location.headers.get('location') ?? '').searchParams.get('code'));
  });

  it('oidcc-refresh-token: the refreshed ID token has the same iss, sub, aud and no nonce', async () => {
    const token = await exchange(await authorize({ nonce: 'n1' }));
    const first = await idToken(token);
    const refreshed = await postForm(tokenUrl(server.url), { client_id: server.backend.clientId, client_secret: server.backend.clientSecret, grant_type: 'refresh_token', refresh_token: String(token.refresh_token) });
    const claims = await idToken(refreshed.body);
    assert.deepEqual([claims.iss, claims.sub, claims.aud, claims.nonce], [first.iss, first.sub, first.aud, undefined]);
  });

  it('oidcc-idtoken-signature: signed with an advertised algorithm, never none', async () => {
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as { id_token_signing_alg_values_supported: string[] };
    const { alg } = decodeProtectedHeader(String((await exchange(await authorize({}))).id_token));
    assert.ok(alg && alg !== 'none' && discovery.id_token_signing_alg_values_supported.includes(alg));
  });


  /** An end-session request from a signed-in browser; the browser and its ID token come along. */
  async function signedInWithIdToken() {
    const browser = new Browserless(server.url);
    const hint = String((await exchange(await authorize({}, browser))).id_token);
    return { browser, hint };
  }
  const endSession = (browser: Browserless, params: Record<string, string>) => browser.request(`/oauth2/logout?${new URLSearchParams(params).toString()}`);
  const stillSignedIn = async (browser: Browserless) => (await browser.request(`${AUTHORIZE}?${query({ prompt: 'none' })}`)).headers.get('location')?.includes('code=') ?? false;

  it('oidcc-rp-initiated-logout: signed out, back to the registered URI with its query and the state', async () => {
    const { browser, hint } = await signedInWithIdToken();
    const response = await endSession(browser, { id_token_hint: hint, post_logout_redirect_uri: POST_LOGOUT, state: 'bye-1' });
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location') ?? '');
    assert.deepEqual([location.origin + location.pathname, location.searchParams.get('keep'), location.searchParams.get('state')], ['http://localhost:4597/signed-out', '1', 'bye-1']);
    assert.equal(await stillSignedIn(browser), false);
  });

  it('oidcc-rp-initiated-logout-no-state: back to the registered URI, with no state added', async () => {
    const { browser, hint } = await signedInWithIdToken();
    const location = new URL((await endSession(browser, { id_token_hint: hint, post_logout_redirect_uri: POST_LOGOUT })).headers.get('location') ?? '');
    assert.equal(location.toString(), POST_LOGOUT);
  });

  it('oidcc-rp-initiated-logout-bad-post-logout-redirect-uri: never redirected to; signed out on a page', async () => {
    const { browser, hint } = await signedInWithIdToken();
    const response = await endSession(browser, { id_token_hint: hint, post_logout_redirect_uri: 'https://attacker.example/bye', state: 'x' });
    assert.equal(response.headers.get('location'), null);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /You are signed out/);
  });

  it('oidcc-rp-initiated-logout-modified-id-token-hint: an error page, and the session stays', async () => {
    const { browser, hint } = await signedInWithIdToken();
    const [header, payload, signature] = hint.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const modified = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${signature}`;
    const response = await endSession(browser, { id_token_hint: modified, post_logout_redirect_uri: POST_LOGOUT, state: 'x' });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('location'), null);
    assert.equal(await stillSignedIn(browser), true);
  });

  it('oidcc-rp-initiated-logout-no-id-token-hint, oidcc-rp-initiated-logout-no-params: the user is asked first', async () => {
    for (const params of [{ client_id: server.backend.clientId, post_logout_redirect_uri: POST_LOGOUT, state: 'x' }, {}] as Record<string, string>[]) {
      const { browser } = await signedInWithIdToken();
      const response = await endSession(browser, params);
      assert.equal(response.status, 200, JSON.stringify(params));
      assert.match(await response.text(), /Sign out of Gatehouse\?/);
      assert.equal(await stillSignedIn(browser), true, 'nothing ended before the answer');
    }
  });
});
