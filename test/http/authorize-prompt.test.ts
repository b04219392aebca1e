// The authorization request's `prompt`, and switching accounts on the consent page: prompt=none
// never shows a page (login_required, consent_required, with state and iss), prompt=login asks for
// the password even with a session, prompt=consent asks again for a remembered grant, an unknown
// value is invalid_request; "Not you?" signs out and comes back to the same request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUser } from '../../src/platform/accounts.ts';
import { Browserless, authorizeQuery, formFields } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';

const AUTHORIZE = '/api/developers/oauth2/authorize';
const jane = { tenant: 'acme', username: 'jane', password: PASSWORD };

forEachStore('authorize: prompt and switching accounts', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    await createUser({ tenantId: server.tenant.id, username: 'joe', password: PASSWORD }, server.ctx);
  });
  after(() => server.close());

  const query = (extra: Record<string, string | undefined> = {}) =>
    authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile', state: 'st ate+1', ...extra });

  async function signedIn(username = 'jane'): Promise<Browserless> {
    const browser = new Browserless(server.url);
    assert.equal((await browser.signIn('acme', username, PASSWORD)).status, 303);
    return browser;
  }

  /** Where an authorize GET redirects to, as the app sees it. */
  async function redirectOf(browser: Browserless, q: string): Promise<URLSearchParams> {
    const response = await browser.request(`${AUTHORIZE}?${q}`);
    assert.equal(response.status, 302, `a redirect, not a page (${response.status})`);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, BACKEND_REDIRECT);
    return location.searchParams;
  }

  function assertError(params: URLSearchParams, error: string): void {
    assert.equal(params.get('error'), error);
    assert.equal(params.get('code'), null);
    assert.equal(params.get('state'), 'st ate+1', 'state comes back byte for byte');
    assert.equal(params.get('iss'), server.url);
    assert.ok(params.get('error_description'));
  }

  describe('prompt=none', () => {
    it('signed out: login_required, no sign-in page', async () => {
      assertError(await redirectOf(new Browserless(server.url), query({ prompt: 'none' })), 'login_required');
    });

    it("signed out, with a bad request: the request's own error", async () => {
      assertError(await redirectOf(new Browserless(server.url), query({ prompt: 'none', scope: 'nonsense' })), 'invalid_scope');
    });

    it('signed in on another tenant host than the session: login_required', async () => {
      const browser = await signedIn();
      const response = await browser.request(`${AUTHORIZE}?${query({ prompt: 'none' })}`, { host: `globex.localhost:${new URL(server.url).port}` });
      assert.equal(response.status, 302);
      assert.equal(new URL(response.headers.get('location') ?? '').searchParams.get('error'), 'login_required');
    });

    it('signed in, grant not yet given: consent_required; once remembered: a code, silently', async () => {
      const browser = await signedIn();
      assertError(await redirectOf(browser, query({ prompt: 'none', scope: 'profile team' })), 'consent_required');
      const { location } = await browser.authorize(query({ scope: 'profile team' }), jane);
      assert.ok(location?.searchParams.get('code'), 'allowed once');
      const silent = await redirectOf(browser, query({ prompt: 'none', scope: 'profile team' }));
      assert.match(silent.get('code') ?? '', /^ghc_/);
      assert.equal(silent.get('state'), 'st ate+1');
      assert.equal(silent.get('iss'), server.url);
      assertError(await redirectOf(browser, query({ prompt: 'none', scope: 'profile team:w' })), 'consent_required');
    });
  });

  describe('prompt=login', () => {
    it('asks for the password even with a session, then goes on without asking again', async () => {
      const browser = await signedIn();
      const page = await browser.request(`${AUTHORIZE}?${query({ prompt: 'login consent', scope: 'profile' })}`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /action="\/login"/, 'the sign-in form, not the consent page');
      assert.doesNotMatch(html, /name="decision"/);
      const fields = formFields(html, '/login');
      const next = new URL(fields.return_to ?? '', server.url);
      assert.equal(next.pathname, AUTHORIZE);
      assert.equal(next.searchParams.get('prompt'), 'consent', 'login is satisfied by this sign-in');
      assert.equal(next.searchParams.get('state'), 'st ate+1');

      const login = await browser.request('/login', { form: { ...fields, tenant: 'acme', username: 'joe', password: PASSWORD } });
      assert.equal(login.status, 303);
      const consent = await browser.request(login.headers.get('location') ?? '');
      assert.equal(consent.status, 200);
      assert.match(await consent.text(), /Signed in as <strong>joe<\/strong>/, 'the new sign-in counts: another user, a fresh session');
    });

    it('with prompt=login alone, a remembered grant goes straight back with a code after the sign-in', async () => {
      const browser = await signedIn();
      await browser.authorize(query(), jane);
      const page = await (await browser.request(`${AUTHORIZE}?${query({ prompt: 'login' })}`)).text();
      const fields = formFields(page, '/login');
      assert.equal(new URL(fields.return_to ?? '', server.url).searchParams.has('prompt'), false);
      const login = await browser.request('/login', { form: { ...fields, tenant: 'acme', username: 'jane', password: PASSWORD } });
      const back = await browser.request(login.headers.get('location') ?? '');
      assert.equal(back.status, 302);
      assert.match(new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? '', /^ghc_/);
    });
  });

  describe('prompt=consent', () => {
    it('shows the consent page for a remembered grant', async () => {
      const browser = await signedIn();
      await browser.authorize(query(), jane);
      assert.equal((await browser.request(`${AUTHORIZE}?${query()}`)).status, 302, 'remembered: no consent page');
      const again = await browser.request(`${AUTHORIZE}?${query({ prompt: 'consent' })}`);
      assert.equal(again.status, 200);
      const html = await again.text();
      assert.match(html, /name="decision"/);
      const denied = await browser.request(AUTHORIZE, { form: { ...formFields(html, AUTHORIZE), decision: 'deny' } });
      assert.equal(denied.status, 303);
      assert.equal(new URL(denied.headers.get('location') ?? '').searchParams.get('error'), 'access_denied');
    });
  });

  describe('bad prompt values', () => {
    for (const prompt of ['create', 'none login', 'nonsense consent', 'none select_account']) {
      it(`${prompt}: invalid_request after sign-in`, async () => {
        const signedOut = await new Browserless(server.url).request(`${AUTHORIZE}?${query({ prompt })}`);
        assert.equal(signedOut.status, 200, 'signed out: the sign-in page first, as for every other error');
        const params = await redirectOf(await signedIn(), query({ prompt }));
        assertError(params, 'invalid_request');
        assert.match(params.get('error_description') ?? '', /prompt/);
      });
    }
  });

  it('discovery lists the prompt values the endpoint honours', async () => {
    const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as { prompt_values_supported: string[] };
    assert.deepEqual(metadata.prompt_values_supported, ['none', 'login', 'consent', 'select_account']);
  });

  describe('"Not you? Sign in as someone else" on the consent page', () => {
    it('signs out (a CSRF-checked post) and comes back to the same request, for the other account', async () => {
      const browser = await signedIn();
      const q = query({ scope: 'profile source' });
      const consent = await (await browser.request(`${AUTHORIZE}?${q}`)).text();
      assert.match(consent, /Not you\? Sign in as someone else/);
      const fields = formFields(consent, '/logout');
      assert.ok(fields.csrf);
      const expected = new URL(`${AUTHORIZE}?${q}`, server.url);
      const returnTo = new URL(fields.return_to ?? '', server.url);
      assert.equal(returnTo.pathname, AUTHORIZE);
      assert.deepEqual([...returnTo.searchParams].sort(), [...expected.searchParams].sort());

      const forged = await browser.request('/logout', { form: { ...fields, csrf: 'f'.repeat(64) } });
      assert.equal(forged.status, 403, 'a forged form signs nobody out');
      assert.equal((await browser.request(`${AUTHORIZE}?${q}`)).status, 200);

      const out = await browser.request('/logout', { form: fields });
      assert.equal(out.status, 303);
      const back = out.headers.get('location') ?? '';
      assert.equal(back, fields.return_to);
      const login = await (await browser.request(back)).text();
      assert.match(login, /action="\/login"/, 'signed out: the sign-in form for the same request');
      const { location } = await browser.authorize(new URL(back, server.url).search.slice(1), { tenant: 'acme', username: 'joe', password: PASSWORD });
      assert.match(location?.searchParams.get('code') ?? '', /^ghc_/);
      const grants = await server.store.grants.find((await server.store.users.forLogin(server.tenant.id, 'joe'))!.id, server.backend.app.id);
      assert.equal(grants?.scope, 'profile source', 'joe granted it, not jane');
    });

    it('a return_to elsewhere is ignored: sign-out goes home', async () => {
      const browser = await signedIn();
      const fields = formFields(await (await browser.request(`${AUTHORIZE}?${query({ scope: 'incident' })}`)).text(), '/logout');
      const out = await browser.request('/logout', { form: { ...fields, return_to: '//evil.example/x' } });
      assert.equal(out.headers.get('location'), '/');
    });
  });
});
