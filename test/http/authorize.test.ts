// The authorization endpoint and its pages over HTTP: what is shown instead of redirecting, what
// is redirected with an error, consent, tenant hosts, CSRF, sign-in and the page headers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerApp } from '../../src/platform/apps.ts';
import { Browserless, authorizeQuery, formFields } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';

const AUTHORIZE = '/api/developers/oauth2/authorize';
const jane = { tenant: 'acme', username: 'jane', password: PASSWORD };
const otto = { tenant: 'globex', username: 'otto', password: PASSWORD };

forEachStore('authorization endpoint', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  const backendQuery = (extra: Record<string, string | undefined> = {}) =>
    authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile', state: 'xyz', ...extra });

  /** A browser already signed in as jane on the plain host. */
  async function signedIn(account = jane): Promise<Browserless> {
    const browser = new Browserless(server.url);
    const response = await browser.signIn(account.tenant, account.username, account.password);
    assert.equal(response.status, 303, 'signed in');
    return browser;
  }

  /** The redirect for an authorize request that fails validation after sign-in. */
  async function errorRedirect(browser: Browserless, query: string): Promise<URLSearchParams> {
    const response = await browser.request(`${AUTHORIZE}?${query}`);
    assert.equal(response.status, 302, `redirected: ${response.status}`);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, BACKEND_REDIRECT);
    assert.equal(location.searchParams.get('code'), null);
    assert.equal(location.searchParams.get('iss'), server.url);
    assert.ok(location.searchParams.get('error_description'));
    return location.searchParams;
  }

  describe('requests with no safe place to go back to: an error page, never a redirect', () => {
    const cases: [string, (s: TestServer) => Record<string, string | undefined>][] = [
      ['unknown client_id', () => ({ client_id: 'a'.repeat(20) })],
      ['no client_id', () => ({ client_id: undefined })],
      ['no redirect_uri', () => ({ redirect_uri: undefined })],
      ['unregistered redirect_uri', () => ({ redirect_uri: 'https://evil.example/callback' })],
      ['trailing-slash variant', () => ({ redirect_uri: `${BACKEND_REDIRECT}/` })],
      ['added query', () => ({ redirect_uri: `${BACKEND_REDIRECT}?next=1` })],
      ['other app\'s redirect_uri', (s) => ({ redirect_uri: s.webapp.app.redirectUris[0] })],
      ['repeated redirect_uri', () => ({})],
    ];
    for (const [name, extra] of cases) {
      it(name, async () => {
        for (const browser of [new Browserless(server.url), await signedIn()]) {
          let query = backendQuery(extra(server));
          if (name === 'repeated redirect_uri') query += `&redirect_uri=${encodeURIComponent(BACKEND_REDIRECT)}`;
          const response = await browser.request(`${AUTHORIZE}?${query}`);
          assert.equal(response.status, 400);
          assert.equal(response.headers.get('location'), null);
          assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
          const page = await response.text();
          assert.doesNotMatch(page, /action="\/login"/, 'no sign-in form either');
        }
      });
    }
  });

  describe('after sign-in, errors go back to the app with state and iss', () => {
    it('response_type=token is unsupported_response_type', async () => {
      const params = await errorRedirect(await signedIn(), backendQuery({ response_type: 'token' }));
      assert.equal(params.get('error'), 'unsupported_response_type');
      assert.equal(params.get('state'), 'xyz');
    });

    it('an unknown scope is invalid_scope; a missing scope too', async () => {
      const browser = await signedIn();
      assert.equal((await errorRedirect(browser, backendQuery({ scope: 'profile nuclear_codes' }))).get('error'), 'invalid_scope');
      assert.equal((await errorRedirect(browser, backendQuery({ scope: undefined }))).get('error'), 'invalid_scope');
    });

    it('plain PKCE is invalid_request', async () => {
      const params = await errorRedirect(await signedIn(), backendQuery({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }));
      assert.equal(params.get('error'), 'invalid_request');
      assert.equal(params.get('state'), 'xyz');
    });

    it('a repeated state is invalid_request', async () => {
      const params = await errorRedirect(await signedIn(), `${backendQuery()}&state=second`);
      assert.equal(params.get('error'), 'invalid_request');
    });

    it('before sign-in nothing is redirected: the sign-in form comes first', async () => {
      const response = await new Browserless(server.url).request(`${AUTHORIZE}?${backendQuery({ response_type: 'token' })}`);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /action="\/login"/);
    });
  });

  describe('consent', () => {
    it('Cancel sends access_denied with state and iss', async () => {
      const browser = new Browserless(server.url);
      const { location } = await browser.authorize(backendQuery({ scope: 'alert' }), { ...jane, decision: 'deny' });
      assert.ok(location);
      assert.equal(location.searchParams.get('error'), 'access_denied');
      assert.equal(location.searchParams.get('state'), 'xyz');
      assert.equal(location.searchParams.get('iss'), server.url);
      assert.equal(location.searchParams.get('code'), null);
    });

    it('echoes any state byte for byte, through the consent form and back', async () => {
      const states = [
        JSON.stringify({ bla: 'some other data', n: [1, 2] }),
        'with spaces and + plus',
        'ünïcödé ✓ 日本 😀',
        'a&b=c#d?e%20f%zz',
        `quotes " and ' and <tags> &amp;`,
      ];
      for (const [i, state] of states.entries()) {
        const browser = new Browserless(server.url);
        // A scope not yet granted, so the consent page (and its hidden fields) is really used.
        const scope = ['alert', 'incident', 'schedule', 'team', 'service'][i];
        const { location } = await browser.authorize(backendQuery({ scope, state }), jane);
        assert.ok(location, `redirected for ${state}`);
        assert.equal(location.searchParams.get('state'), state);
        assert.ok(location.searchParams.get('code'));
        assert.equal(location.searchParams.get('iss'), server.url);
      }
    });

    it('a second request for granted scopes skips consent', async () => {
      const browser = new Browserless(server.url);
      const first = await browser.authorize(backendQuery({ scope: 'policy' }), jane);
      assert.ok(first.location?.searchParams.get('code'));
      const again = await browser.request(`${AUTHORIZE}?${backendQuery({ scope: 'policy', state: 'again' })}`);
      assert.equal(again.status, 302);
      assert.equal(again.headers.get('cache-control'), 'no-store', 'no cache keeps the code');
      const location = new URL(again.headers.get('location') ?? '');
      assert.ok(location.searchParams.get('code'));
      assert.equal(location.searchParams.get('state'), 'again');
      assert.equal(location.searchParams.get('iss'), server.url);
      // A wider request asks again.
      const wider = await browser.request(`${AUTHORIZE}?${backendQuery({ scope: 'policy:w' })}`);
      assert.equal(wider.status, 200);
      assert.match(await wider.text(), /name="decision"/);
    });

    it('a limit-to-account app refuses users of other tenants', async () => {
      const { app } = await registerApp(
        { tenantId: server.tenant.id, name: 'Acme internal', redirectUris: ['https://internal.acme.example/cb'], limitToAccount: true },
        server.ctx,
      );
      const query = authorizeQuery({ client_id: app.clientId, response_type: 'code', redirect_uri: 'https://internal.acme.example/cb', scope: 'profile', state: 'st' });
      const refused = await new Browserless(server.url).authorize(query, otto);
      assert.ok(refused.location);
      assert.equal(refused.location.searchParams.get('error'), 'access_denied');
      assert.equal(refused.location.searchParams.get('state'), 'st');
      const allowed = await new Browserless(server.url).authorize(query, jane);
      assert.ok(allowed.location?.searchParams.get('code'), 'its own tenant may use it');
    });

    it('consent posted without or with a wrong CSRF token is 403 and issues no code', async () => {
      const browser = await signedIn();
      const page = await (await browser.request(`${AUTHORIZE}?${backendQuery({ scope: 'report' })}`)).text();
      const fields = formFields(page, AUTHORIZE);
      assert.ok(fields.csrf);
      const { csrf: _csrf, ...withoutCsrf } = fields;
      for (const form of [withoutCsrf, { ...fields, csrf: 'f'.repeat(64) }, { ...fields, csrf: '' }]) {
        const response = await browser.request(AUTHORIZE, { form: { ...form, decision: 'allow' } });
        assert.equal(response.status, 403);
        assert.equal(response.headers.get('location'), null);
      }
      // A cross-site form post carries no CSRF cookie at all.
      const bare = await fetch(`${server.url}${AUTHORIZE}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, decision: 'allow' }).toString(),
        redirect: 'manual',
      });
      assert.equal(bare.status, 403);
    });
  });

  describe('tenant hosts', () => {
    it('acme.localhost shows a form without the tenant field and signs into acme', async () => {
      const host = `acme.localhost:${new URL(server.url).port}`;
      const browser = new Browserless(server.url);
      const page = await (await browser.request(`${AUTHORIZE}?${backendQuery()}`, { host })).text();
      assert.match(page, /action="\/login"/);
      assert.doesNotMatch(page, /name="tenant"/);
      const fields = formFields(page, '/login');
      const login = await browser.request('/login', { form: { ...fields, username: 'jane', password: PASSWORD }, host });
      assert.equal(login.status, 303);
      const consent = await browser.request(login.headers.get('location') ?? '', { host });
      const consentPage = await consent.text();
      assert.match(consentPage, /Acme Corp/);
      assert.match(consentPage, /name="decision"/);

      // otto of globex cannot sign in on acme's host, even naming his tenant.
      const other = new Browserless(server.url);
      const otherFields = formFields(await (await other.request('/login', { host })).text(), '/login');
      const refused = await other.request('/login', { form: { ...otherFields, tenant: 'globex', username: 'otto', password: PASSWORD }, host });
      assert.equal(refused.status, 401);
    });

    it('an unknown tenant host says the account does not exist instead of asking for a password, and links to the main host', async () => {
      const port = new URL(server.url).port;
      const host = `nosuch.localhost:${port}`;
      const browser = new Browserless(server.url);
      for (const path of [`${AUTHORIZE}?${backendQuery()}`, '/login?return_to=%2Fconsole']) {
        const response = await browser.request(path, { host });
        assert.equal(response.status, 404, path);
        const page = await response.text();
        assert.match(page, /There is no account <strong>nosuch<\/strong> on this server/);
        assert.doesNotMatch(page, /name="password"/, 'no password is asked for');
        assert.doesNotMatch(page, /jane|Acme Corp|globex/i, 'and nothing is said of other accounts or users');
        const link = /<a class="button primary" href="([^"]+)">Sign in on localhost:\d+<\/a>/.exec(page)?.[1]?.replace(/&amp;/g, '&');
        assert.ok(link, 'a link to sign in on the main host');
        assert.equal(new URL(link).host, `localhost:${port}`);
        assert.equal(`${new URL(link).pathname}${new URL(link).search}`, path, 'the same request, on the main host');
      }
      // prompt=none shows nothing even here: the app learns that nobody is signed in.
      const silent = await browser.request(`${AUTHORIZE}?${backendQuery({ prompt: 'none' })}`, { host });
      assert.equal(new URL(silent.headers.get('location') ?? '').searchParams.get('error'), 'login_required');
      // An existing account's host still shows its form.
      assert.equal((await browser.request('/login', { host: `acme.localhost:${port}` })).status, 200);
    });

    it("a globex session from the plain host is not valid on acme's host", async () => {
      const host = `acme.localhost:${new URL(server.url).port}`;
      const browser = await signedIn(otto);
      const onPlainHost = await browser.request(`${AUTHORIZE}?${backendQuery({ scope: 'user' })}`);
      assert.match(await onPlainHost.text(), /name="decision"/, 'signed in on the plain host');
      const onAcme = await browser.request(`${AUTHORIZE}?${backendQuery({ scope: 'user' })}`, { host });
      assert.equal(onAcme.status, 200);
      const page = await onAcme.text();
      assert.match(page, /action="\/login"/, 'asked to sign in again');
      assert.doesNotMatch(page, /name="decision"/);
    });
  });

  describe('sign-in', () => {
    it('a login post without CSRF is 403 and sets no session', async () => {
      const browser = new Browserless(server.url);
      await browser.request('/login');
      const response = await browser.request('/login', { form: { tenant: 'acme', username: 'jane', password: PASSWORD } });
      assert.equal(response.status, 403);
      assert.ok(!response.headers.getSetCookie().some((c) => c.startsWith('gh_session=')));
      assert.equal(browser.cookie('gh_session'), undefined);
    });

    it('a wrong password or an unknown user is 401 with a message, and no session', async () => {
      const attempts = [
        { tenant: 'acme', username: 'jane', password: 'wrong password' },
        { tenant: 'acme', username: 'nobody', password: PASSWORD },
        { tenant: 'no-such-tenant', username: 'jane', password: PASSWORD },
      ];
      for (const attempt of attempts) {
        const browser = new Browserless(server.url);
        const fields = formFields(await (await browser.request('/login')).text(), '/login');
        const response = await browser.request('/login', { form: { ...fields, ...attempt } });
        assert.equal(response.status, 401);
        assert.match(await response.text(), /The account, username or password is not right/);
        assert.equal(browser.cookie('gh_session'), undefined);
      }
    });

    it('return_to only ever leads to a local path', async () => {
      const cases: [string, string][] = [
        ['//evil.example', '/'],
        ['https://evil.example', '/'],
        ['/\\evil.example', '/'],
        ['\\\\evil.example', '/'],
        ['/\t/evil.example', '/'],
        ['/\n/evil.example', '/'],
        [' //evil.example', '/'],
        ['javascript:alert(1)', '/'],
        ['/%2F/evil.example', '/%2F/evil.example'],
        [`${AUTHORIZE}?client_id=x&state=a%20b`, `${AUTHORIZE}?client_id=x&state=a%20b`],
        [`${AUTHORIZE}?state=a\\b`, `${AUTHORIZE}?state=a\\b`],
      ];
      for (const [returnTo, expected] of cases) {
        const browser = new Browserless(server.url);
        const fields = formFields(await (await browser.request('/login')).text(), '/login');
        const response = await browser.request('/login', { form: { ...fields, return_to: returnTo, tenant: 'acme', username: 'jane', password: PASSWORD } });
        assert.equal(response.status, 303, `${JSON.stringify(returnTo)}: ${response.status}`);
        assert.equal(response.headers.get('location'), expected, JSON.stringify(returnTo));
      }
      for (const returnTo of ['//evil.example', 'https://evil.example/x']) {
        const page = await (await new Browserless(server.url).request(`/login?return_to=${encodeURIComponent(returnTo)}`)).text();
        assert.equal(formFields(page, '/login').return_to, '/');
      }
    });
  });

  describe('page headers and cookies', () => {
    it('pages forbid framing and referrers', async () => {
      const browser = new Browserless(server.url);
      const responses = [
        await browser.request(`${AUTHORIZE}?${backendQuery()}`),
        await browser.request(`${AUTHORIZE}?client_id=nope`),
        await browser.request('/login'),
        await browser.request('/'),
      ];
      const browserIn = await signedIn();
      responses.push(await browserIn.request(`${AUTHORIZE}?${backendQuery({ scope: 'maintenance' })}`));
      for (const response of responses) {
        assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
        assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
        assert.equal(response.headers.get('x-frame-options'), 'DENY');
        assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      }
    });

    it('the session cookie is HttpOnly and SameSite=Lax', async () => {
      const browser = new Browserless(server.url);
      const fields = formFields(await (await browser.request('/login')).text(), '/login');
      const response = await browser.request('/login', { form: { ...fields, tenant: 'acme', username: 'jane', password: PASSWORD } });
      const session = response.headers.getSetCookie().find((c) => c.startsWith('gh_session='));
      assert.ok(session, 'a session cookie');
      assert.match(session, /;\s*HttpOnly/i);
      assert.match(session, /;\s*SameSite=Lax/i);
      assert.match(session, /;\s*Path=\//i);
      assert.doesNotMatch(session, /;\s*Domain=/i, 'host-only, so tenant hosts keep their own sign-in');
    });
  });
});
