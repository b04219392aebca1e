// Who may use which console page: sign-in first (and back to the page asked for, never to another
// site), admins only for apps, users and the audit log, platform admins only for verification,
// one account's admin never reaching another's apps, and no change without the CSRF token.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { registerApp } from '../../src/platform/apps.ts';
import { Browserless } from '../helpers/browserless.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { addUser, consoleAs, csrfOf, post, submit } from './console-client.ts';

forEachStore('console access', (kind) => {
  let server: TestServer;
  let globexAppId: number;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    await addUser(server, server.tenant.id, 'bob');
    await addUser(server, server.otherTenant.id, 'gina', 'ADMIN');
    globexAppId = (await registerApp({ tenantId: server.otherTenant.id, name: 'Globex app', redirectUris: ['https://globex.example/cb'] }, server.ctx)).app.id;
  });
  after(() => server.close());

  it('sends a visitor without a session to the login page and back to the page asked for', async () => {
    const browser = new Browserless(server.url);
    const first = await browser.request('/console/users?x=1');
    assert.equal(first.status, 302);
    assert.equal(first.headers.get('location'), `/login?return_to=${encodeURIComponent('/console/users?x=1')}`);
    const signedIn = await browser.signIn('acme', 'jane', PASSWORD, '/console/users?x=1');
    assert.equal(signedIn.status, 303);
    assert.equal(signedIn.headers.get('location'), '/console/users?x=1');
    assert.equal((await browser.request('/console/users?x=1')).status, 200);
  });

  it('never returns to another site after signing in', async () => {
    for (const returnTo of ['https://evil.example/console', '//evil.example/console', '/\\evil.example']) {
      const response = await new Browserless(server.url).signIn('acme', 'jane', PASSWORD, returnTo);
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), '/', `return_to ${returnTo}`);
    }
  });

  it("on a tenant host the console signs in to that account only, and refuses another account's session", async () => {
    const host = `acme.${new URL(server.url).host}`;
    const browser = new Browserless(server.url);
    const login = await (await browser.request('/login?return_to=%2Fconsole', { host })).text();
    assert.doesNotMatch(login, /name="tenant"/, 'the host names the account');
    assert.equal((await browser.signIn('acme', 'jane', PASSWORD, '/console/apps', host)).headers.get('location'), '/console/apps');
    assert.equal((await browser.request('/console/apps', { host })).status, 200);
    const globexHost = `globex.${new URL(server.url).host}`;
    assert.equal((await browser.request('/console/apps', { host: globexHost })).status, 302, "acme's session does not count on globex's host");
  });

  it('a form post without a session changes nothing and leads to sign-in', async () => {
    const response = await new Browserless(server.url).request('/console/apps', { form: { name: 'Sneaky', redirect_uris: 'https://x.example/cb' } });
    assert.equal(response.status, 303);
    assert.match(response.headers.get('location') ?? '', /^\/login\?return_to=%2Fconsole$/);
    assert.equal(await server.store.apps.byName('Sneaky'), undefined);
  });

  it('/console opens the first section the person may use', async () => {
    const admin = await consoleAs(server, 'acme', 'jane');
    assert.equal((await admin.request('/console')).headers.get('location'), '/console/apps');
    const user = await consoleAs(server, 'acme', 'bob');
    assert.equal((await user.request('/console')).headers.get('location'), '/console/connections');
  });

  it('a user who is not an admin gets 403 on the admin pages, and their posts change nothing', async () => {
    const bob = await consoleAs(server, 'acme', 'bob');
    assert.equal((await bob.request('/console/connections')).status, 200);
    for (const path of ['/console/apps', '/console/apps/new', `/console/apps/${server.backend.app.id}`, '/console/users', '/console/audit', '/console/admin/apps']) {
      const response = await bob.request(path);
      assert.equal(response.status, 403, path);
      assert.match(await response.text(), /Only (platform )?admins/);
    }
    const csrf = csrfOf(bob);
    assert.equal((await post(bob, '/console/apps', { csrf, name: 'By bob', redirect_uris: 'https://bob.example/cb' })).status, 403);
    assert.equal(await server.store.apps.byName('By bob'), undefined);
    assert.equal((await post(bob, `/console/apps/${server.backend.app.id}/delete`, { csrf })).status, 403);
    assert.ok(await server.store.apps.byId(server.backend.app.id), 'the app is still there');
    assert.equal((await post(bob, `/console/users/${server.user.id}/disable`, { csrf })).status, 403);
    assert.equal((await server.store.users.byId(server.user.id))?.disabled, false);
    assert.equal((await post(bob, `/console/admin/apps/${server.backend.app.id}/verified`, { csrf, verified: 'true' })).status, 403);
    assert.equal((await server.store.apps.byId(server.backend.app.id))?.verified, false);
  });

  it("an admin of one account cannot see or change another account's app or users", async () => {
    const jane = await consoleAs(server, 'acme', 'jane');
    const list = await (await jane.request('/console/apps')).text();
    assert.doesNotMatch(list, /Globex app/);
    assert.equal((await jane.request(`/console/apps/${globexAppId}`)).status, 404);
    assert.equal((await jane.request(`/console/apps/${globexAppId}/delete`)).status, 404);
    const csrf = csrfOf(jane);
    const attempts = [
      [`/console/apps/${globexAppId}`, { description: 'hijacked', redirect_uris: 'https://evil.example/cb', refresh_rotation: 'public' }],
      [`/console/apps/${globexAppId}/secret`, { revoke_tokens: 'on' }],
      [`/console/apps/${globexAppId}/icon/remove`, {}],
      [`/console/apps/${globexAppId}/delete`, {}],
      [`/console/users/${server.otherUser.id}/disable`, {}],
      [`/console/users/${server.otherUser.id}/role`, { role: 'ADMIN' }],
    ] as const;
    const before = await server.store.apps.byId(globexAppId);
    for (const [action, fields] of attempts) {
      assert.equal((await post(jane, action, { csrf, ...fields })).status, 404, action);
    }
    assert.deepEqual(await server.store.apps.byId(globexAppId), before, 'the app is unchanged, secret included');
    const otto = await server.store.users.byId(server.otherUser.id);
    assert.equal(otto?.disabled, false);
    assert.equal(otto?.role, 'USER');
    const users = await (await jane.request('/console/users')).text();
    assert.doesNotMatch(users, /otto|gina/);
  });

  it('a form without the CSRF token is refused with 403 and changes nothing', async () => {
    const jane = await consoleAs(server, 'acme', 'jane');
    const appPage = `/console/apps/${server.backend.app.id}`;
    const before = await server.store.apps.byId(server.backend.app.id);
    const forged = [
      [appPage, appPage, { description: 'forged', redirect_uris: 'https://evil.example/cb' }],
      [`${appPage}/secret`, `${appPage}/secret`, { revoke_tokens: 'on' }],
      [`${appPage}/delete`, `${appPage}/delete`, {}],
      ['/console/apps/new', '/console/apps', { name: 'Forged app', redirect_uris: 'https://evil.example/cb' }],
      ['/console/users', '/console/users', { username: 'forged', password: 'long enough password', role: 'ADMIN' }],
    ] as const;
    for (const [page, action, fields] of forged) {
      const response = await submit(jane, page, action, fields, { csrf: false });
      assert.equal(response.status, 403, action);
      assert.match(await response.text(), /Form expired/);
    }
    // A token from somewhere else (not this browser's cookie) is no better than none.
    const wrong = await post(jane, `${appPage}/delete`, { csrf: 'a'.repeat(64) });
    assert.equal(wrong.status, 403);
    assert.deepEqual(await server.store.apps.byId(server.backend.app.id), before);
    assert.equal(await server.store.apps.byName('Forged app'), undefined);
    assert.equal(await server.store.users.forLogin(server.tenant.id, 'forged'), undefined);
  });

  it('signs out with POST /console/logout (CSRF checked) and the session ends', async () => {
    const jane = await consoleAs(server, 'acme', 'jane');
    const refused = await post(jane, '/console/logout', {});
    assert.equal(refused.status, 403);
    assert.equal((await jane.request('/console/apps')).status, 200, 'still signed in');
    const out = await submit(jane, '/console/apps', '/console/logout');
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/login?return_to=%2Fconsole');
    assert.equal((await jane.request('/console/apps')).status, 302, 'signed out');
  });

  it('console pages carry the page protections and load only their own script file', async () => {
    const jane = await consoleAs(server, 'acme', 'jane');
    const response = await jane.request('/console/apps');
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    const page = await response.text();
    assert.doesNotMatch(page, /<script(?![^>]*\bsrc="\/assets\/console\.js\?v=[0-9a-f]{12}")/, 'no inline script');
    const script = await fetch(`${server.url}/assets/console.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(await script.text(), /data-copy/);
  });
});
