// Developer apps through the console, each change checked the way an app would notice it: a new
// app's shown secret works at the token endpoint; bad input gets field errors and changes nothing;
// a rotation refuses the old secret (and, if asked, every old token); a deletion ends every token.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { assertAccessWorks, assertTokensRefused, consoleAs, credentialsOn, followDone, submit, textOf, tokenEffects, tokensThrough, type AppCredentials } from './console-client.ts';

const REDIRECT = 'http://localhost:4597/console-app';
const JANE = { tenant: 'acme', username: 'jane' };

forEachStore('developer apps in the console', (kind) => {
  let server: TestServer;
  let jane: Browserless;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    jane = await consoleAs(server, 'acme', 'jane');
  });
  after(() => server.close());

  /** Creates an app through the form; returns its credentials as the page shows them. */
  async function createApp(name: string, extra: Record<string, string> = {}): Promise<AppCredentials & { id: number; page: string }> {
    const response = await submit(jane, '/console/apps/new', '/console/apps', {
      name,
      description: 'Posts alerts to chat',
      redirect_uris: `${REDIRECT}\r\nhttps://app.example/cb`,
      refresh_rotation: 'public',
      ...extra,
    });
    const { page, status, path } = await followDone(jane, response);
    assert.equal(status, 200, page.slice(0, 400));
    assert.match(path, /^\/console\/apps\/\d+$/, "to the new app's page");
    const { clientId, clientSecret } = credentialsOn(page);
    assert.ok(clientSecret, 'the new secret is shown right after creation');
    const app = await server.store.apps.byClientId(clientId);
    assert.ok(app);
    return { id: app.id, clientId, clientSecret, redirectUri: REDIRECT, page };
  }

  it('lists the account\'s apps with state and created date', async () => {
    const page = await (await jane.request('/console/apps')).text();
    assert.match(page, /Backend app/);
    assert.match(page, /Web app/);
    assert.match(page, /Unverified/);
    assert.match(page, new RegExp(`href="/console/apps/${server.backend.app.id}/delete"`));
    assert.match(page, /<time datetime="\d{4}-\d\d-\d\dT/);
  });

  it('creates an app whose shown secret works in a real authorization', async () => {
    const created = await createApp('Chat bridge', { limit_to_account: 'on', refresh_rotation: 'never' });
    const app = await server.store.apps.byId(created.id);
    assert.equal(app?.name, 'Chat bridge');
    assert.equal(app?.description, 'Posts alerts to chat');
    assert.deepEqual(app?.redirectUris, [REDIRECT, 'https://app.example/cb']);
    assert.equal(app?.limitToAccount, true);
    assert.equal(app?.refreshRotation, 'never');
    assert.equal(app?.tenantId, server.tenant.id);
    assert.match(created.page, /shown only this once/);
    assert.match(created.page, new RegExp(`value="${server.url}/api/developers/oauth2/authorize"`));
    assert.match(created.page, new RegExp(`value="${server.url}/api/developers/oauth2/token\\?client_id=${created.clientId}"`));
    assert.match(created.page, new RegExp(`value="${server.url}/api/developers/oauth2/revoke"`));
    const tokens = await tokensThrough(server, created, JANE);
    await assertAccessWorks(server, tokens.accessToken);
    // Later visits never show the secret again: only its hash is kept.
    const later = await (await jane.request(`/console/apps/${created.id}`)).text();
    assert.equal(credentialsOn(later).clientSecret, undefined);
    assert.doesNotMatch(later, new RegExp(created.clientSecret));
    const events = await server.store.audit.list({ tenantId: server.tenant.id, limit: 20 });
    assert.ok(events.some((e) => e.type === 'app_created' && e.appId === created.id && e.userId === server.user.id));
  });

  it('refuses bad input with an error next to the field, keeps what was typed, and creates nothing', async () => {
    const cases = [
      [{ name: '' }, 'app-name', /name must be 1 to 100/],
      [{ name: 'Backend app' }, 'app-name', /already exists/],
      [{ name: 'Insecure', redirect_uris: 'http://evil.example/cb' }, 'app-redirect-uris', /http only for localhost/],
      [{ name: 'No redirect', redirect_uris: '  \n ' }, 'app-redirect-uris', /At least one redirect URL/],
      [{ name: 'Fragment', redirect_uris: 'https://x.example/cb#frag' }, 'app-redirect-uris', /fragment/],
      [{ name: 'Odd rotation', refresh_rotation: 'sometimes' }, 'app-rotation', /rotation/],
      [{ name: 'Long', description: 'x'.repeat(2001) }, 'app-description', /at most 2000/],
    ] as const;
    const before = (await server.store.apps.list(server.tenant.id)).length;
    for (const [fields, fieldId, message] of cases) {
      const response = await submit(jane, '/console/apps/new', '/console/apps', {
        description: 'Kept description',
        redirect_uris: 'https://ok.example/cb',
        refresh_rotation: 'public',
        ...fields,
      });
      const page = await response.text();
      assert.equal(response.status, 400, JSON.stringify(fields));
      assert.match(textOf(page, `${fieldId}-error`) ?? '', message, `error beside ${fieldId}`);
      assert.match(page, new RegExp(`id="${fieldId}"[^>]*aria-invalid="true"|<fieldset[^>]*id="${fieldId}"`));
      assert.match(page, /class="error-summary" role="alert"/);
      assert.match(page, /Kept description|x{2001}/, 'typed values stay');
      if (fields.name) assert.match(page, new RegExp(`id="app-name" name="name" type="text" value="${fields.name}"`));
    }
    assert.equal((await server.store.apps.list(server.tenant.id)).length, before);
  });

  it('reports every refused field at once, quoting what was typed', async () => {
    const response = await submit(jane, '/console/apps/new', '/console/apps', {
      name: '',
      description: 'x'.repeat(2001),
      redirect_uris: 'not a url\nhttps://ok.example/cb#frag',
      refresh_rotation: 'public',
    });
    const page = await response.text();
    assert.equal(response.status, 400);
    assert.match(textOf(page, 'app-name-error') ?? '', /name must be 1 to 100/);
    assert.match(textOf(page, 'app-description-error') ?? '', /at most 2000/);
    const uris = textOf(page, 'app-redirect-uris-error') ?? '';
    assert.match(uris, /Redirect URL &quot;not a url&quot; is not an absolute URL/);
    assert.match(uris, /Redirect URL &quot;https:\/\/ok.example\/cb#frag&quot; must not contain a fragment/);
    assert.match(page, /There are 3 problems/);
    // A taken name is reported with the rest, too.
    const taken = await (await submit(jane, '/console/apps/new', '/console/apps', { name: 'Backend app', redirect_uris: 'not a url', refresh_rotation: 'public' })).text();
    assert.match(textOf(taken, 'app-name-error') ?? '', /already exists/);
    assert.match(textOf(taken, 'app-redirect-uris-error') ?? '', /is not an absolute URL/);
  });

  it("the example sign-in link works as it is: sign-in, consent, and a code redeemed with its verifier and no secret", async () => {
    const created = await createApp('Example link app');
    const page = await (await jane.request(`/console/apps/${created.id}`)).text();
    const link = new URL(/id="example-link" type="text" readonly value="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&') ?? assert.fail('the page shows an example link'));
    const verifier = /id="example-verifier" type="text" readonly value="([A-Za-z0-9_-]{43})"/.exec(page)?.[1] ?? assert.fail('and its verifier');
    assert.equal(`${link.origin}${link.pathname}`, `${server.url}/api/developers/oauth2/authorize`);
    assert.equal(link.searchParams.get('client_id'), created.clientId);
    assert.equal(link.searchParams.get('response_type'), 'code');
    assert.equal(link.searchParams.get('redirect_uri'), REDIRECT, 'the first redirect URL');
    assert.equal(link.searchParams.get('scope'), 'profile offline_access');
    assert.equal(link.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(link.searchParams.get('state'));
    // Signed out, it opens the sign-in page (not an error); then consent; then the code.
    const signedOut = await new Browserless(server.url).request(`${link.pathname}${link.search}`);
    assert.equal(signedOut.status, 200);
    assert.match(await signedOut.text(), /action="\/login"/);
    const { location } = await new Browserless(server.url).authorize(link.search.slice(1), { ...JANE, password: PASSWORD });
    assert.equal(location?.searchParams.get('state'), link.searchParams.get('state'));
    const code = location?.searchParams.get('code') ?? assert.fail(`a code: ${location?.toString()}`);
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: created.clientId, code, redirect_uri: REDIRECT, code_verifier: verifier });
    assert.equal(token.status, 200, token.text);
    assert.ok(token.body.refresh_token, 'offline_access brings a refresh token without the secret');
    await assertAccessWorks(server, String(token.body.access_token));
  });

  it('an app that may not use authorization_code has no sign-in link', async () => {
    const created = await createApp('Refresh only app', { grant_refresh_token: 'on' });
    const page = await (await jane.request(`/console/apps/${created.id}`)).text();
    assert.doesNotMatch(page, /id="example-link"/);
    assert.match(page, /has no sign-in link/);
  });

  it('saves settings: a new redirect URL works at once, the name stays, bad input changes nothing', async () => {
    const created = await createApp('Settings app');
    const page = `/console/apps/${created.id}`;
    const saved = await submit(jane, page, page, {
      name: 'Renamed',
      description: 'Now with a new callback',
      redirect_uris: 'https://new.example/callback\nhttps://new.example/callback',
      refresh_rotation: 'always',
    });
    const done = await followDone(jane, saved);
    assert.equal(done.path, page);
    assert.match(done.page, /Settings saved\./);
    assert.doesNotMatch(await (await jane.request(page)).text(), /Settings saved\./, 'the notice is shown once');
    const app = await server.store.apps.byId(created.id);
    assert.equal(app?.name, 'Settings app', 'names cannot change');
    assert.equal(app?.description, 'Now with a new callback');
    assert.deepEqual(app?.redirectUris, ['https://new.example/callback']);
    assert.equal(app?.limitToAccount, false, 'an unticked box turns the limit off');
    assert.equal(app?.refreshRotation, 'always');
    // The old redirect URL is refused by authorize now; the new one is accepted.
    const authorize = (redirect: string) =>
      new Browserless(server.url).request(`/api/developers/oauth2/authorize?${authorizeQuery({ client_id: created.clientId, response_type: 'code', redirect_uri: redirect, scope: 'profile' })}`);
    assert.equal((await authorize(REDIRECT)).status, 400);
    assert.equal((await authorize('https://new.example/callback')).status, 200);

    const refused = await submit(jane, page, page, { description: 'Bad change', redirect_uris: 'javascript:alert(1)', refresh_rotation: 'public' });
    const refusedPage = await refused.text();
    assert.equal(refused.status, 400);
    assert.match(textOf(refusedPage, 'app-redirect-uris-error') ?? '', /Redirect URL &quot;javascript:alert\(1\)&quot;/);
    assert.match(refusedPage, />javascript:alert\(1\)<\/textarea>/, 'the typed value stays');
    assert.deepEqual(await server.store.apps.byId(created.id), app, 'nothing changed');
  });

  it('registers and changes the grant types an app may use; the token endpoint holds to them', async () => {
    const created = await createApp('Grant types app', { grant_authorization_code: 'on' });
    assert.match(created.page, /<legend>Grant types<\/legend>/);
    assert.deepEqual((await server.store.apps.byId(created.id))?.grantTypes, ['authorization_code']);
    const page = `/console/apps/${created.id}`;
    const shown = await (await jane.request(page)).text();
    assert.match(shown, /name="grant_authorization_code" value="on" checked/);
    assert.doesNotMatch(shown, /name="grant_refresh_token" value="on" checked/);

    // A refresh is refused while the app may not use the grant.
    const refresh = { grant_type: 'refresh_token', refresh_token: 'ghr_any', client_id: created.clientId, client_secret: created.clientSecret };
    assert.equal((await postForm(tokenUrl(server.url), refresh)).body.error, 'unauthorized_client');
    const saved = await submit(jane, page, page, { redirect_uris: REDIRECT, refresh_rotation: 'public', grant_authorization_code: 'on', grant_refresh_token: 'on' });
    assert.equal(saved.status, 303);
    assert.deepEqual((await server.store.apps.byId(created.id))?.grantTypes, ['authorization_code', 'refresh_token']);
    assert.equal((await postForm(tokenUrl(server.url), refresh)).body.error, 'invalid_grant', 'now only the token is wrong');

    // With no box ticked the app keeps what it has: it needs at least one.
    assert.equal((await submit(jane, page, page, { redirect_uris: REDIRECT, refresh_rotation: 'public' })).status, 303);
    assert.deepEqual((await server.store.apps.byId(created.id))?.grantTypes, ['authorization_code', 'refresh_token']);
    assert.equal((await createApp('Default grants app')).page.match(/name="grant_[a-z_]+" value="on" checked/g)?.length, 2, 'a new app gets both unless told otherwise');
  });

  it('rotating the secret without revoking: the old secret is refused, the new one works, tokens keep working', async () => {
    const created = await createApp('Rotate keep');
    const tokens = await tokensThrough(server, created, JANE);
    const page = `/console/apps/${created.id}`;
    const confirm = await (await jane.request(`${page}/secret`)).text();
    assert.match(confirm, /<h1>Rotate the secret of Rotate keep\?<\/h1>/, 'the confirmation names the app');
    assert.equal((await tokenEffects(server, created, tokens)).refreshStatus, 200, 'opening the confirmation rotates nothing');
    const response = await submit(jane, `${page}/secret`, `${page}/secret`);
    const { page: shown } = await followDone(jane, response);
    const { clientSecret } = credentialsOn(shown);
    // A reload of the page it led to shows the result no more and rotates nothing.
    const reloaded = await (await jane.request(page)).text();
    assert.equal(credentialsOn(reloaded).clientSecret, undefined, 'the secret is shown once');
    assert.doesNotMatch(reloaded, /the old one no longer works/);
    assert.ok(clientSecret && clientSecret !== created.clientSecret, 'a new secret is shown once');
    assert.match(shown, /the old one no longer works/);
    await assertAccessWorks(server, tokens.accessToken);
    const withOld = await tokenEffects(server, created, tokens);
    assert.equal(withOld.refreshStatus, 401, 'the old secret no longer authenticates');
    const withNew = await tokenEffects(server, { ...created, clientSecret }, tokens);
    assert.equal(withNew.refreshStatus, 200, 'the refresh token works with the new secret');
    const fresh = await tokensThrough(server, { ...created, clientSecret }, JANE);
    await assertAccessWorks(server, fresh.accessToken);
  });

  it('rotating the secret with revocation ends every token issued so far', async () => {
    const created = await createApp('Rotate revoke');
    const tokens = await tokensThrough(server, created, JANE);
    await assertAccessWorks(server, tokens.accessToken);
    const page = `/console/apps/${created.id}`;
    const response = await submit(jane, `${page}/secret`, `${page}/secret`, { revoke_tokens: 'on' });
    const { page: shown } = await followDone(jane, response);
    assert.match(shown, /One grant was revoked/);
    const { clientSecret } = credentialsOn(shown);
    assert.ok(clientSecret);
    await assertTokensRefused(server, { ...created, clientSecret }, tokens);
    const fresh = await tokensThrough(server, { ...created, clientSecret }, JANE);
    await assertAccessWorks(server, fresh.accessToken);
  });

  it('deletes an app after a confirmation page: its tokens are refused and it is gone', async () => {
    const created = await createApp('Doomed app');
    const tokens = await tokensThrough(server, created, JANE);
    const confirm = await jane.request(`/console/apps/${created.id}/delete`);
    assert.equal(confirm.status, 200);
    assert.match(await confirm.text(), /revokes every token the app holds/);
    assert.ok(await server.store.apps.byId(created.id), 'opening the confirmation deletes nothing');
    const response = await submit(jane, `/console/apps/${created.id}/delete`, `/console/apps/${created.id}/delete`);
    const { path, page: list } = await followDone(jane, response);
    assert.equal(path, '/console/apps');
    assert.equal(await server.store.apps.byId(created.id), undefined);
    await assertTokensRefused(server, created, tokens);
    assert.match(list, /The app “Doomed app” was deleted/);
    assert.doesNotMatch(await (await jane.request('/console/apps')).text(), /Doomed app/, 'the notice is shown once, and the app is gone');
    assert.equal((await jane.request(`/console/apps/${created.id}`)).status, 404);
    const token = await postForm(tokenUrl(server.url), { client_id: created.clientId, client_secret: created.clientSecret, grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
    assert.equal(token.status, 401, 'the client itself no longer exists');
  });

  it('a malformed form (a repeated field) is a 400, not a crash', async () => {
    const csrf = jane.cookie('gh_csrf') ?? '';
    const body = `csrf=${csrf}&name=a&name=b&redirect_uris=https%3A%2F%2Fx.example%2Fcb`;
    const response = await fetch(`${server.url}/console/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `gh_session=${jane.cookie('gh_session')}; gh_csrf=${csrf}` },
      body,
      redirect: 'manual',
    });
    assert.equal(response.status, 400);
    assert.equal(await server.store.apps.byName('a'), undefined);
    assert.equal((await jane.request('/console/apps/abc')).status, 404);
    assert.equal((await jane.request('/console/apps/99999')).status, 404);
  });

  it('a user signed in with the password can use the console too (no separate console login)', async () => {
    const browser = new Browserless(server.url);
    await browser.signIn('acme', 'jane', PASSWORD);
    assert.equal((await browser.request('/console/apps')).status, 200);
  });
});
