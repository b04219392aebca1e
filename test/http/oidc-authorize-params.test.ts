// OpenID Connect's authentication request parameters at the authorization endpoint: max_age
// (re-authentication, auth_time), login_hint (prefill, account choice), id_token_hint (whose
// session will do), prompt=select_account, prompt=none's errors, ui_locales and acr_values, and
// their bad input — each error redirected with state and iss.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { signCompact } from '../../src/keys/jws.ts';
import { createUser } from '../../src/platform/accounts.ts';
import { Browserless, authorizeQuery, formFields, formPairs } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

const AUTHORIZE = '/api/developers/oauth2/authorize';
const STATE = 'st ate+1';

forEachStore('OpenID Connect authentication request parameters', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    await createUser({ tenantId: server.tenant.id, username: 'joe', password: PASSWORD }, server.ctx);
  });
  after(() => server.close());

  const account = (username = 'jane') => ({ tenant: 'acme', username, password: PASSWORD });
  const query = (extra: Record<string, string | undefined> = {}) =>
    authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid profile', state: STATE, ...extra });

  async function signedIn(username = 'jane'): Promise<Browserless> {
    const browser = new Browserless(server.url);
    assert.equal((await browser.signIn('acme', username, PASSWORD)).status, 303);
    return browser;
  }

  /** A browser signed in as this user, with the backend app's openid grant remembered. */
  async function connected(username = 'jane'): Promise<Browserless> {
    const browser = await signedIn(username);
    await browser.authorizeCode(query(), account(username));
    return browser;
  }

  async function idTokenOf(code: string, app = server.backend) {
    const token = await postForm(tokenUrl(server.url), { client_id: app.clientId, client_secret: app.clientSecret, code, grant_type: 'authorization_code' });
    assert.equal(token.status, 200, token.text);
    return String(token.body.id_token);
  }

  /** An ID token of ours for this user, issued to the backend app (or the web app). */
  async function idTokenFor(username: string, app: 'backend' | 'webapp' = 'backend'): Promise<string> {
    const browser = new Browserless(server.url);
    const q = app === 'backend' ? query() : authorizeQuery({ client_id: server.webapp.clientId, response_type: 'code', redirect_uri: WEBAPP_REDIRECT, scope: 'openid' });
    return idTokenOf(await browser.authorizeCode(q, account(username)), server[app]);
  }

  async function redirectOf(browser: Browserless, q: string): Promise<URLSearchParams> {
    const response = await browser.request(`${AUTHORIZE}?${q}`);
    assert.equal(response.status, 302, `a redirect, not a page (${response.status})`);
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, BACKEND_REDIRECT);
    return location.searchParams;
  }

  function assertError(params: URLSearchParams, error: string, description?: RegExp): void {
    assert.equal(params.get('error'), error, params.get('error_description') ?? '');
    assert.equal(params.get('code'), null);
    assert.equal(params.get('state'), STATE, 'state comes back byte for byte');
    assert.equal(params.get('iss'), server.url);
    if (description) assert.match(params.get('error_description') ?? '', description);
  }

  /** The page an authorize GET shows (status 200). */
  async function pageOf(browser: Browserless, q: string): Promise<string> {
    const response = await browser.request(`${AUTHORIZE}?${q}`);
    assert.equal(response.status, 200, `a page, not a redirect (${response.headers.get('location') ?? ''})`);
    return response.text();
  }

  /** The sign-in form's fields (the page must be the sign-in form) and its visible inputs' values. */
  function signInForm(html: string) {
    assert.match(html, /action="\/login"/, 'the sign-in form');
    assert.doesNotMatch(html, /name="decision"/);
    const value = (name: string) => /value="([^"]*)"/.exec(new RegExp(`<input id="${name}"[^>]*>`).exec(html)?.[0] ?? '')?.[1] ?? '';
    return { fields: formFields(html, '/login'), username: value('username'), tenant: value('tenant') };
  }

  async function submitSignIn(browser: Browserless, fields: Record<string, string>, username: string): Promise<string> {
    const login = await browser.request('/login', { form: { ...fields, tenant: 'acme', username, password: PASSWORD } });
    assert.equal(login.status, 303);
    return login.headers.get('location') ?? '';
  }

  describe('max_age', () => {
    for (const bad of ['-1', 'abc', '1.5', '1e3', ' 5', '99999999999']) {
      it(`max_age=${JSON.stringify(bad)}: invalid_request`, async () => {
        assertError(await redirectOf(await connected(), query({ max_age: bad })), 'invalid_request', /max_age/);
      });
    }

    it('a repeated max_age is invalid_request', async () => {
      const q = `${query()}&max_age=60&max_age=60`;
      assertError(await redirectOf(await connected(), q), 'invalid_request', /max_age is repeated/);
    });

    it('a recent enough sign-in will do: a code at once', async () => {
      const browser = await connected();
      server.clock.advance(30);
      assert.match((await redirectOf(browser, query({ max_age: '60' }))).get('code') ?? '', /^ghc_/);
    });

    it('an older sign-in asks for the password again, renews the session, and auth_time is the fresh sign-in', async () => {
      const browser = await connected();
      const before = decodeJwt(await idTokenOf(await browser.authorizeCode(query(), account())));
      server.clock.advance(120);
      const form = signInForm(await pageOf(browser, query({ max_age: '60', nonce: 'n1' })));
      assert.equal(form.username, 'jane', 'the same person, most likely: the username is filled in');
      const next = new URL(form.fields.return_to ?? '', server.url);
      assert.equal(next.searchParams.has('max_age'), false, 'the fresh sign-in settles max_age');
      assert.equal(next.searchParams.get('nonce'), 'n1');
      assert.equal(next.searchParams.get('state'), STATE);
      const back = await browser.request(await submitSignIn(browser, form.fields, 'jane'));
      assert.equal(back.status, 302);
      const after = decodeJwt(await idTokenOf(new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? ''));
      assert.equal(after.nonce, 'n1');
      assert.equal(after.auth_time, (before.auth_time as number) + 120, 'auth_time is the new sign-in');
      assert.notEqual(after.sid, before.sid, 'a new session');
    });

    it('max_age=0 always asks for the password, then goes on without asking again', async () => {
      const browser = await connected();
      const form = signInForm(await pageOf(browser, query({ max_age: '0' })));
      const back = await browser.request(await submitSignIn(browser, form.fields, 'jane'));
      assert.equal(back.status, 302);
      assert.match(new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? '', /^ghc_/);
    });

    it('with prompt=none, an older sign-in is login_required', async () => {
      const browser = await connected();
      server.clock.advance(61);
      assertError(await redirectOf(browser, query({ prompt: 'none', max_age: '60' })), 'login_required', /max_age/);
    });
  });

  describe('prompt=none', () => {
    it('no session: login_required, even with a good id_token_hint', async () => {
      const hint = await idTokenFor('jane');
      assertError(await redirectOf(new Browserless(server.url), query({ prompt: 'none' })), 'login_required');
      assertError(await redirectOf(new Browserless(server.url), query({ prompt: 'none', id_token_hint: hint })), 'login_required');
    });

    it('prompt=none login stays invalid_request', async () => {
      assertError(await redirectOf(await connected(), query({ prompt: 'none login' })), 'invalid_request', /prompt=none/);
    });

    it("the hinted user's session: a code, silently; another user's: login_required", async () => {
      const hint = await idTokenFor('jane');
      assert.match((await redirectOf(await connected('jane'), query({ prompt: 'none', id_token_hint: hint }))).get('code') ?? '', /^ghc_/);
      assertError(await redirectOf(await connected('joe'), query({ prompt: 'none', id_token_hint: hint })), 'login_required', /id_token_hint/);
    });

    it('a login_hint naming someone else: interaction_required (the user would have to choose)', async () => {
      const browser = await connected('jane');
      assertError(await redirectOf(browser, query({ prompt: 'none', login_hint: 'joe' })), 'interaction_required', /login_hint/);
      assert.match((await redirectOf(browser, query({ prompt: 'none', login_hint: 'jane@acme' }))).get('code') ?? '', /^ghc_/);
    });
  });

  describe('id_token_hint', () => {
    it('from another issuer, tampered, or junk: invalid_request; with prompt=none and no session too', async () => {
      const hint = await idTokenFor('jane');
      const key = server.ctx.keys.signing;
      const foreign = signCompact({ alg: key.alg, typ: 'JWT', kid: key.kid }, { ...decodeJwt(hint), iss: 'https://elsewhere.example' }, key.privateKey);
      const [header, , signature] = hint.split('.');
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(hint), sub: '999' })).toString('base64url')}.${signature}`;
      const browser = await connected();
      for (const bad of [foreign, tampered, 'not-a-token']) assertError(await redirectOf(browser, query({ id_token_hint: bad })), 'invalid_request', /id_token_hint/);
      assertError(await redirectOf(new Browserless(server.url), query({ prompt: 'none', id_token_hint: foreign })), 'invalid_request', /id_token_hint/);
    });

    it('issued to another client: invalid_request', async () => {
      const hint = await idTokenFor('jane', 'webapp');
      assertError(await redirectOf(await connected(), query({ id_token_hint: hint })), 'invalid_request', /another client/);
    });

    it('expired beyond the leeway: invalid_request; within it: accepted', async () => {
      const hint = await idTokenFor('jane');
      const browser = await connected();
      server.clock.advance(3600 + 30);
      assert.match((await redirectOf(browser, query({ id_token_hint: hint }))).get('code') ?? '', /^ghc_/);
      server.clock.advance(31);
      assertError(await redirectOf(browser, query({ id_token_hint: hint })), 'invalid_request', /expired/);
    });

    it("another user's session: the sign-in form, prefilled with nothing, for the hinted user", async () => {
      const hint = await idTokenFor('jane');
      const browser = await connected('joe');
      const html = await pageOf(browser, query({ id_token_hint: hint, login_hint: 'joe' }));
      const form = signInForm(html);
      assert.equal(form.username, '');
      assert.match(html, /expects another account/);
      assert.equal(new URL(form.fields.return_to ?? '', server.url).searchParams.get('id_token_hint'), hint, 'the hint travels on');
      // Signing in as joe again does not do: the form again.
      const again = signInForm(await pageOf(browser, new URL(await submitSignIn(browser, form.fields, 'joe'), server.url).search.slice(1)));
      const back = await browser.request(await submitSignIn(browser, again.fields, 'jane'));
      assert.equal(back.status, 302);
      const code = new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? '';
      assert.equal(decodeJwt(await idTokenOf(code)).sub, String(server.user.id));
    });
  });

  describe('prompt=select_account', () => {
    it('with a session: continue as the signed-in user, and the request goes on without asking again', async () => {
      const browser = await connected();
      const html = await pageOf(browser, query({ prompt: 'select_account consent' }));
      assert.match(html, /Continue as jane \(acme\)/);
      assert.doesNotMatch(html, /action="\/login"/);
      const href = /<a class="button primary" href="([^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
      const next = new URL(href, server.url);
      assert.equal(next.pathname, AUTHORIZE);
      assert.equal(next.searchParams.get('prompt'), 'consent', 'select_account is settled');
      const consent = await pageOf(browser, next.search.slice(1));
      assert.match(consent, /name="decision"/, 'on to the consent page prompt=consent asks for');
    });

    it('"Use another account" signs out (CSRF-checked) and comes back to the sign-in form for the same request', async () => {
      const browser = await connected();
      const q = query({ prompt: 'select_account' });
      const fields = formFields(await pageOf(browser, q), '/logout');
      assert.equal((await browser.request('/logout', { form: { ...fields, csrf: 'f'.repeat(64) } })).status, 403, 'a forged form signs nobody out');
      const out = await browser.request('/logout', { form: fields });
      assert.equal(out.status, 303);
      assert.equal(out.headers.get('location'), `${AUTHORIZE}?${q}`);
      const form = signInForm(await pageOf(browser, q));
      assert.equal(new URL(form.fields.return_to ?? '', server.url).searchParams.has('prompt'), false, 'the sign-in is the choice');
      const { location } = await browser.authorize(new URL(form.fields.return_to ?? '', server.url).search.slice(1), account('joe'));
      const code = location?.searchParams.get('code') ?? '';
      assert.equal(decodeJwt(await idTokenOf(code)).sub, String((await server.store.users.forLogin(server.tenant.id, 'joe'))?.id));
    });

    it('without a session: just the sign-in form, then no choice is asked', async () => {
      const browser = new Browserless(server.url);
      const form = signInForm(await pageOf(browser, query({ prompt: 'select_account' })));
      const back = await browser.request(await submitSignIn(browser, form.fields, 'jane'));
      assert.equal(back.status, 302, 'remembered grant: straight back with a code');
    });
  });

  describe('login_hint', () => {
    it('prefills the sign-in form, HTML-escaped', async () => {
      const html = await pageOf(new Browserless(server.url), query({ login_hint: '"><script>alert(1)</script>' }));
      assert.doesNotMatch(html, /<script>alert/);
      assert.match(html, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
      assert.equal(new URL(signInForm(html).fields.return_to ?? '', server.url).searchParams.has('login_hint'), false);
    });

    it('user@account fills in both; an email address is a username', async () => {
      const both = signInForm(await pageOf(new Browserless(server.url), query({ login_hint: 'joe@acme' })));
      assert.deepEqual([both.username, both.tenant], ['joe', 'acme']);
      const email = signInForm(await pageOf(new Browserless(server.url), query({ login_hint: 'joe@acme.example' })));
      assert.deepEqual([email.username, email.tenant], ['joe@acme.example', '']);
    });

    it('naming someone else than the signed-in user: the account choice', async () => {
      const browser = await connected('jane');
      const html = await pageOf(browser, query({ login_hint: 'joe' }));
      assert.match(html, /Continue as jane \(acme\)/);
      const href = /<a class="button primary" href="([^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
      assert.match((await redirectOf(browser, new URL(href, server.url).search.slice(1))).get('code') ?? '', /^ghc_/, 'continuing as jane settles the hint');
      // Signed out, the hint fills in the form.
      const out = await browser.request('/logout', { form: formFields(html, '/logout') });
      assert.equal(signInForm(await pageOf(browser, new URL(out.headers.get('location') ?? '', server.url).search.slice(1))).username, 'joe');
    });

    it('longer than 255 characters: invalid_request', async () => {
      assertError(await redirectOf(await connected(), query({ login_hint: 'x'.repeat(256) })), 'invalid_request', /login_hint/);
    });
  });

  describe('ui_locales and acr_values', () => {
    it('are accepted (acr_values we cannot satisfy too: they are voluntary), and travel through sign-in and consent', async () => {
      const extra = { ui_locales: 'de-CH fr en', acr_values: 'urn:mace:incommon:iap:silver urn:gatehouse:acr:pwd' };
      const browser = new Browserless(server.url);
      const form = signInForm(await pageOf(browser, query({ ...extra, scope: 'openid email' })));
      const next = new URL(form.fields.return_to ?? '', server.url);
      assert.equal(next.searchParams.get('ui_locales'), extra.ui_locales);
      assert.equal(next.searchParams.get('acr_values'), extra.acr_values);
      const consent = await browser.request(await submitSignIn(browser, form.fields, 'jane'));
      const hidden = Object.fromEntries(formPairs(await consent.text(), AUTHORIZE));
      assert.equal(hidden.ui_locales, extra.ui_locales);
      assert.equal(hidden.acr_values, extra.acr_values);
      const allowed = await browser.request(AUTHORIZE, { form: [...formPairs(await (await browser.request(`${AUTHORIZE}?${next.search.slice(1)}`)).text(), AUTHORIZE), ['decision', 'allow']] });
      assert.match(new URL(allowed.headers.get('location') ?? '').searchParams.get('code') ?? '', /^ghc_/);
    });

    it('malformed or overlong: invalid_request', async () => {
      const browser = await connected();
      assertError(await redirectOf(browser, query({ ui_locales: 'en_US' })), 'invalid_request', /ui_locales/);
      assertError(await redirectOf(browser, query({ ui_locales: 'en '.repeat(100) })), 'invalid_request', /ui_locales/);
      assertError(await redirectOf(browser, query({ acr_values: 'a'.repeat(1025) })), 'invalid_request', /acr_values/);
    });
  });

  it('discovery advertises select_account, ui_locales and acr_values honestly', async () => {
    const config = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.deepEqual(config.prompt_values_supported, ['none', 'login', 'consent', 'select_account']);
    assert.deepEqual(config.ui_locales_supported, ['en']);
    assert.deepEqual(config.acr_values_supported, ['urn:gatehouse:acr:pwd', 'urn:gatehouse:acr:mfa']);
  });

  it('the API reference lists every new parameter of the authorization request', async () => {
    const spec = JSON.stringify(await (await fetch(`${server.url}/openapi.json`)).json());
    for (const name of ['max_age', 'login_hint', 'id_token_hint', 'ui_locales', 'acr_values']) assert.ok(spec.includes(`"${name}"`), name);
  });
});
