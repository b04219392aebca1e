// OpenID Connect RP-initiated logout at /oauth2/logout: a hint of the signed-in session signs out
// at once and goes back to the registered post-logout URI with state; anything else asks first
// (CSRF on the answer); a hint not ours, or for another client than client_id, is a 400 page;
// an unregistered post_logout_redirect_uri is never redirected to; the session really ends.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Browserless, formPairs } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

const LOGOUT_URI = 'http://localhost:4597/signed-out?from=gatehouse';
const JANE = { tenant: 'acme', username: 'jane', password: PASSWORD };
const OTTO = { tenant: 'globex', username: 'otto', password: PASSWORD };

forEachStore('OpenID Connect RP-initiated logout', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    await server.store.apps.update(server.backend.app.id, { postLogoutRedirectUris: [LOGOUT_URI] }, server.clock.now());
  });
  after(() => server.close());

  /** Signs in (as jane unless told) through an openid authorization and returns the ID token. */
  async function idToken(browser: Browserless, account = JANE): Promise<string> {
    const query = new URLSearchParams({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', state: 's' });
    const code = await browser.authorizeCode(query.toString(), account);
    const token = await postForm(tokenUrl(server.url), { client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code, grant_type: 'authorization_code' });
    assert.equal(token.status, 200);
    return String(token.body.id_token);
  }

  const logout = (browser: Browserless, params: Record<string, string>) => browser.request(`/oauth2/logout?${new URLSearchParams(params)}`);

  /** Whether the browser is still signed in: the next authorization shows the sign-in page, or not. */
  async function signedIn(browser: Browserless): Promise<boolean> {
    const query = new URLSearchParams({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', state: 's' });
    const page = await (await browser.request(`/api/developers/oauth2/authorize?${query}`)).text();
    return !page.includes('action="/login"');
  }

  it('a hint of the session signs out at once and redirects to the registered URI with state, byte for byte', async () => {
    const browser = new Browserless(server.url);
    const hint = await idToken(browser);
    const state = 'a b&c=d/é+%';
    const response = await logout(browser, { id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state });
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, 'http://localhost:4597/signed-out');
    assert.deepEqual([...location.searchParams.keys()], ['from', 'state'], 'nothing but state is added');
    assert.equal(location.searchParams.get('from'), 'gatehouse');
    assert.equal(location.searchParams.get('state'), state);
    assert.equal(await signedIn(browser), false, 'the next authorization asks to sign in');
    const events = await server.store.audit.list({ limit: 10 });
    const event = events.find((e) => e.type === 'logout');
    assert.equal(event?.username, 'jane');
    assert.match(event?.detail ?? '', /at the request of app "Backend app"/);
  });

  it('a relying party may POST the request too', async () => {
    const browser = new Browserless(server.url);
    const hint = await idToken(browser);
    const response = await browser.request('/oauth2/logout', { form: { id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state: 'posted' } });
    assert.equal(response.status, 303);
    assert.equal(new URL(response.headers.get('location') ?? '').searchParams.get('state'), 'posted');
    assert.equal(await signedIn(browser), false);
  });

  it('accepts an expired hint: it still names whom to sign out', async () => {
    const browser = new Browserless(server.url);
    const hint = await idToken(browser);
    server.clock.advance(2 * 3600);
    const response = await logout(browser, { id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state: 'late' });
    assert.equal(response.status, 303);
    assert.equal(await signedIn(browser), false);
  });

  it('an unregistered post_logout_redirect_uri is never redirected to: signed out, a page says so', async () => {
    const browser = new Browserless(server.url);
    const hint = await idToken(browser);
    for (const uri of ['https://evil.example/', `${LOGOUT_URI}&x=1`, BACKEND_REDIRECT]) {
      const response = await logout(browser, { id_token_hint: hint, post_logout_redirect_uri: uri, state: 's' });
      assert.equal(response.status, 200, uri);
      assert.equal(response.headers.get('location'), null, uri);
      const page = await response.text();
      assert.match(page, /You are signed out/);
      assert.ok(!page.includes('evil.example'), 'the URI is not even shown');
    }
    assert.equal(await signedIn(browser), false);
  });

  it('a hint for another client than client_id, or one that is not ours, is a 400 page and ends nothing', async () => {
    const browser = new Browserless(server.url);
    const hint = await idToken(browser);
    const other = await logout(browser, { id_token_hint: hint, client_id: server.webapp.clientId, post_logout_redirect_uri: LOGOUT_URI, state: 's' });
    assert.equal(other.status, 400);
    assert.equal(other.headers.get('location'), null);
    assert.match(await other.text(), /issued to another client/);
    const [header, payload, signature] = hint.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: '999' })).toString('base64url')}.${signature}`;
    for (const bad of [tampered, 'not-a-jwt', `${header}.${payload}.`]) {
      const response = await logout(browser, { id_token_hint: bad, post_logout_redirect_uri: LOGOUT_URI, state: 's' });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('location'), null);
      assert.match(await response.text(), /not an ID token this server issued/);
    }
    assert.equal(await signedIn(browser), true, 'still signed in');
  });

  it('repeated or oversized parameters are a 400 page', async () => {
    const browser = new Browserless(server.url);
    const repeated = await browser.request(`/oauth2/logout?state=a&state=b&client_id=${server.backend.clientId}`);
    assert.equal(repeated.status, 400);
    assert.match(await repeated.text(), /state is repeated/);
    const long = await logout(browser, { id_token_hint: 'x'.repeat(5000) });
    assert.equal(long.status, 400);
    const posted = await browser.request('/oauth2/logout', { form: [['client_id', 'a'], ['client_id', 'b']] });
    assert.equal(posted.status, 400);
  });

  it('without a hint it asks first; the answer needs the CSRF token; staying keeps the session', async () => {
    const browser = new Browserless(server.url);
    await idToken(browser);
    const asked = await logout(browser, { client_id: server.backend.clientId, post_logout_redirect_uri: LOGOUT_URI, state: 'ask' });
    assert.equal(asked.status, 200);
    const page = await asked.text();
    assert.match(page, /Sign out of Gatehouse\?/);
    assert.match(page, /<strong>Backend app<\/strong> asks to sign you out/);
    assert.match(page, /signed in as <strong>jane<\/strong>/);
    const fields = formPairs(page, '/oauth2/logout');
    assert.equal(await signedIn(browser), true, 'asking ends nothing');

    const forged = await browser.request('/oauth2/logout', { form: [...fields.filter(([name]) => name !== 'csrf'), ['decision', 'sign_out']] });
    assert.equal(forged.status, 403);
    const wrong = await browser.request('/oauth2/logout', { form: [...fields.filter(([name]) => name !== 'csrf'), ['csrf', 'f'.repeat(64)], ['decision', 'sign_out']] });
    assert.equal(wrong.status, 403);
    assert.equal(await signedIn(browser), true, 'a form without the token ends nothing');

    const stay = await browser.request('/oauth2/logout', { form: [...fields, ['decision', 'stay']] });
    assert.equal(stay.status, 303);
    assert.equal(new URL(stay.headers.get('location') ?? '').searchParams.get('state'), 'ask');
    assert.equal(await signedIn(browser), true, 'staying keeps the session');

    const out = await browser.request('/oauth2/logout', { form: [...fields, ['decision', 'sign_out']] });
    assert.equal(out.status, 303);
    assert.equal(new URL(out.headers.get('location') ?? '').searchParams.get('state'), 'ask');
    assert.equal(await signedIn(browser), false);
  });

  it("asks when the hint is another session's, and without a client names none", async () => {
    const jane = new Browserless(server.url);
    const hint = await idToken(jane);
    const otto = new Browserless(server.url);
    await idToken(otto, OTTO);
    const asked = await logout(otto, { id_token_hint: hint, post_logout_redirect_uri: LOGOUT_URI, state: 's' });
    assert.equal(asked.status, 200);
    assert.match(await asked.text(), /signed in as <strong>otto<\/strong>/);
    assert.equal(await signedIn(otto), true);
    assert.equal(await signedIn(jane), true, "jane's session is not otto's to end");

    const anonymous = await otto.request('/oauth2/logout');
    const page = await anonymous.text();
    assert.match(page, /An app asks to sign you out/);
    const declined = await otto.request('/oauth2/logout', { form: [...formPairs(page, '/oauth2/logout'), ['decision', 'stay']] });
    assert.equal(declined.status, 200);
    assert.match(await declined.text(), /You are still signed in/);
  });

  it('with nobody signed in there is nothing to end: back to the registered URI with state, or a page', async () => {
    const browser = new Browserless(server.url);
    const response = await logout(browser, { client_id: server.backend.clientId, post_logout_redirect_uri: LOGOUT_URI, state: 'nobody' });
    assert.equal(response.status, 303);
    assert.equal(new URL(response.headers.get('location') ?? '').searchParams.get('state'), 'nobody');
    const unknown = await logout(browser, { post_logout_redirect_uri: LOGOUT_URI, state: 'x' });
    assert.equal(unknown.status, 200, 'no client: no redirect');
    assert.equal(unknown.headers.get('location'), null);
  });

  it('the sign-out form at /logout keeps working, and is audited', async () => {
    const browser = new Browserless(server.url);
    await idToken(browser);
    const home = await (await browser.request('/')).text();
    const response = await browser.request('/logout', { form: formPairs(home, '/logout') });
    assert.equal(response.status, 303);
    assert.equal(await signedIn(browser), false);
    const [latest] = (await server.store.audit.list({ limit: 1 })).filter((e) => e.type === 'logout');
    assert.equal(latest?.detail, 'signed out');
  });
});
