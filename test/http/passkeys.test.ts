// Passkeys over HTTP on both databases: adding one in the console (JSON pair, session-bound
// challenge), signing in with it passwordless (new session, return_to, tenant hosts), renaming and
// removing it (forms, CSRF, Post/Redirect/Get), and the bad input each endpoint refuses unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/oauth/secrets.ts';
import { Browserless, formFields } from '../helpers/browserless.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { addUser, consoleAs, csrfOf, followDone, post, submit } from '../console/console-client.ts';
import { addPasskey as addPasskeyThrough, postJson } from '../helpers/passkey-client.ts';

const PAGE = '/console/security/passkeys';

forEachStore('passkeys over HTTP', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  const json = postJson;
  const addPasskey = (browser: Browserless, name: string) => addPasskeyThrough(browser, server.url, name);
  /**
   * A console browser of a new user of acme: signing in with the password asks a user with a
   * passkey for it as the second step, so each test that adds passkeys has its own user.
   */
  let users = 0;
  async function newUser(): Promise<{ browser: Browserless; userId: number }> {
    const username = `pk-user-${++users}`;
    const user = await addUser(server, server.tenant.id, username);
    return { browser: await consoleAs(server, 'acme', username), userId: user.id };
  }

  /** Signs a fresh browser in with the authenticator: the answer to /login/passkey. */
  async function passwordless(authenticator: SoftAuthenticator, o: { returnTo?: string; host?: string; origin?: string; browser?: Browserless } = {}) {
    const browser = o.browser ?? new Browserless(server.url);
    await browser.request('/login', { host: o.host });
    const options = await (await json(browser, '/login/passkey/options', {}, { host: o.host })).json();
    assert.equal(options.allowCredentials, undefined, 'passwordless: the authenticator offers its discoverable credentials');
    const response = await json(browser, '/login/passkey', { return_to: o.returnTo, response: authenticator.assert(options.challenge, { origin: o.origin ?? server.url, rpId: options.rpId }) }, { host: o.host });
    return { browser, response };
  }

  it('adds a passkey in the console, lists it, and signs in with it alone, in a new session', async () => {
    const { browser: jane } = await newUser();
    const authenticator = await addPasskey(jane, 'Work laptop');
    const page = await (await jane.request(PAGE)).text();
    assert.match(page, /The passkey Work laptop was added/);
    assert.match(page, /<h2 id="passkey-\d+">Work laptop<\/h2>/);
    assert.match(page, /Device-bound/);
    assert.match(page, /Never/);
    assert.match(page, /src="\/assets\/simplewebauthn-browser\.js\?v=[0-9a-f]{12}"/);
    const { browser, response } = await passwordless(authenticator, { returnTo: '/console/connections' });
    assert.equal(response.status, 200, await response.clone().text());
    assert.deepEqual(await response.json(), { redirect: '/console/connections' });
    assert.equal((await browser.request('/console/connections')).status, 200, 'signed in');
    const session = await server.store.sessions.byIdHash(sha256Hex(browser.cookie('gh_session')!), server.clock.now());
    assert.deepEqual(session?.amr, ['hwk', 'user', 'mfa'], 'the session remembers how (ID tokens say it)');
    const events = await server.store.audit.list({ limit: 3 });
    assert.ok(events.some((e) => e.type === 'passkey_sign_in' && /amr hwk user mfa/.test(e.detail)));
    assert.match(await (await jane.request(PAGE)).text(), /Last used<\/dt><dd><time/);
  });

  it('replaces the session a browser had (rotation) and keeps return_to on this server', async () => {
    const { browser: jane } = await newUser();
    const authenticator = await addPasskey(jane, 'Key');
    const before = jane.cookie('gh_session');
    const { response } = await passwordless(authenticator, { browser: jane, returnTo: 'https://evil.example/' });
    assert.deepEqual(await response.json(), { redirect: '/' });
    assert.notEqual(jane.cookie('gh_session'), before, 'a new session id');
    const old = new Browserless(server.url);
    old.setCookie('gh_session', before!);
    assert.equal((await old.request('/console/connections')).status, 302, 'the old session ended');
  });

  it('refuses without CSRF, bad shapes and oversized fields, changing nothing', async () => {
    const browser = new Browserless(server.url);
    await browser.request('/login');
    for (const path of ['/login/passkey/options', '/login/passkey']) {
      const response = await json(browser, path, {}, { csrf: false });
      assert.equal(response.status, 403);
      assert.match(await response.text(), /CSRF/);
    }
    const bad = await json(browser, '/login/passkey', { response: { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: 'a'.repeat(5000), authenticatorData: '', signature: '' } } });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /response\.response\.clientDataJSON is not valid/);
    const huge = await json(browser, '/login/passkey', { padding: 'x'.repeat(70_000) });
    assert.equal(huge.status, 413);
    const noChallenge = await json(browser, '/login/passkey', { response: new SoftAuthenticator().assert('abc', { origin: server.url }) });
    assert.equal(noChallenge.status, 400);
    assert.match(await noChallenge.text(), /expired or was used/);
    const signedOut = await json(browser, `${PAGE}/options`, {});
    assert.equal(signedOut.status, 401);
  });

  it('refuses a registration for another session, or without CSRF', async () => {
    const { browser: jane, userId } = await newUser();
    const otherSession = await consoleAs(server, 'acme', `pk-user-${users}`);
    const options = await (await json(jane, `${PAGE}/options`, {})).json();
    const answer = new SoftAuthenticator().register(options, { origin: server.url });
    const noCsrf = await json(jane, PAGE, { name: 'x', response: answer }, { csrf: false });
    assert.equal(noCsrf.status, 403);
    const elsewhere = await json(otherSession, PAGE, { name: 'x', response: answer });
    assert.equal(elsewhere.status, 400, 'the challenge is bound to the session that asked');
    const tooLong = await json(jane, PAGE, { name: 'n'.repeat(61), response: answer });
    assert.equal(tooLong.status, 400);
    assert.match(await tooLong.text(), /at most 60/);
    assert.equal((await server.store.passkeys.listForUser(userId)).filter((p) => p.name === 'x').length, 0);
  });

  it('renames and removes a passkey (confirmation, CSRF, Post/Redirect/Get); not someone else\'s', async () => {
    const { browser: jane } = await newUser();
    const authenticator = await addPasskey(jane, 'Old name');
    const passkey = (await server.store.passkeys.byCredentialId(authenticator.id))!;
    const renamed = await followDone(jane, await submit(jane, PAGE, `${PAGE}/${passkey.id}/rename`, { name: 'New name' }));
    assert.match(renamed.page, /The passkey is now called New name/);
    const tooLong = await submit(jane, PAGE, `${PAGE}/${passkey.id}/rename`, { name: 'n'.repeat(61) });
    assert.equal(tooLong.status, 400);
    assert.match(await tooLong.text(), /at most 60 characters/);
    const otto = await consoleAs(server, 'globex', 'otto');
    assert.equal((await otto.request(`${PAGE}/${passkey.id}/remove`)).status, 404);
    assert.equal((await post(otto, `${PAGE}/${passkey.id}/remove`, { csrf: csrfOf(otto) })).status, 404);
    assert.equal((await post(jane, `${PAGE}/${passkey.id}/remove`, {})).status, 403, 'no CSRF token');
    assert.ok(await server.store.passkeys.byCredentialId(authenticator.id), 'still there');
    const confirm = await (await jane.request(`${PAGE}/${passkey.id}/remove`)).text();
    assert.match(confirm, /Remove the passkey New name\?/);
    const removed = await followDone(jane, await jane.request(`${PAGE}/${passkey.id}/remove`, { form: formFields(confirm, `${PAGE}/${passkey.id}/remove`) }));
    assert.match(removed.page, /The passkey New name was removed/);
    const { response } = await passwordless(authenticator);
    assert.equal(response.status, 400, 'a removed passkey signs nobody in');
    assert.match(await response.text(), /not registered/);
    const types = (await server.store.audit.list({ limit: 10 })).map((e) => e.type);
    for (const type of ['passkey_renamed', 'passkey_removed', 'passkey_failed'] as const) assert.ok(types.includes(type), type);
  });

  it('on a tenant host signs in only that account\'s users, on its own origin', async () => {
    const otto = await consoleAs(server, 'globex', 'otto');
    const authenticator = await addPasskey(otto, 'Otto key');
    const port = new URL(server.url).port;
    const onAcme = await passwordless(authenticator, { host: `acme.localhost:${port}`, origin: `http://acme.localhost:${port}` });
    assert.equal(onAcme.response.status, 403);
    assert.match(await onAcme.response.text(), /not for an account of acme/);
    const wrongOrigin = await passwordless(authenticator, { host: `globex.localhost:${port}` });
    assert.equal(wrongOrigin.response.status, 400, "the main host's origin on a tenant host");
    const onGlobex = await passwordless(authenticator, { host: `globex.localhost:${port}`, origin: `http://globex.localhost:${port}` });
    assert.equal(onGlobex.response.status, 200, await onGlobex.response.clone().text());
  });

  it('shows the passkey button disabled with a note on the sign-in page (it needs the script)', async () => {
    const page = await (await new Browserless(server.url).request('/login?return_to=/console')).text();
    assert.match(page, /<button type="button" class="secondary" data-passkey-button disabled>Use a passkey<\/button>/);
    assert.match(page, /<h2 id="passkey-heading">Sign in with a passkey<\/h2>/);
    assert.match(page, /data-passkey-note>Signing in with a passkey needs JavaScript/);
    assert.match(page, /data-return-to="\/console"/);
    const script = await fetch(`${server.url}/assets/passkeys.js`);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    const bundle = await (await fetch(`${server.url}/assets/simplewebauthn-browser.js`)).text();
    assert.match(bundle, /SimpleWebAuthnBrowser/);
  });
});

describe('passkey sign-in failures and the rate limit', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimits: true });
  });
  after(() => server.close());

  it('counts failed passkey sign-ins per address like wrong passwords: then 429 with Retry-After', async () => {
    const browser = new Browserless(server.url);
    await browser.request('/login');
    const attempt = async () => {
      const options = await (await browser.request('/login/passkey/options', { method: 'POST', json: {}, headers: { 'x-csrf-token': csrfOf(browser) } })).json();
      return browser.request('/login/passkey', { method: 'POST', json: { response: new SoftAuthenticator().assert(options.challenge, { origin: server.url, rpId: options.rpId }) }, headers: { 'x-csrf-token': csrfOf(browser) } });
    };
    for (let i = 0; i < 20; i++) assert.equal((await attempt()).status, 400, `failure ${i + 1}`);
    const limited = await attempt();
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.match(await limited.text(), /Too many attempts/);
  });
});
