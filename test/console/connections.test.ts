// App connections: every user sees the apps they allowed (client, dates, access in words) and can
// revoke one, after which the app's access token, its refresh token and the consent are gone.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createTenant } from '../../src/platform/accounts.ts';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { addUser, assertAccessWorks, assertTokensRefused, consoleAs, csrfOf, post, submit, tokensThrough, followDone } from './console-client.ts';

forEachStore('app connections in the console', (kind) => {
  let server: TestServer;
  let backend: { clientId: string; clientSecret: string; redirectUri: string };
  before(async () => {
    server = await startTestServer({ store: kind.name });
    backend = { clientId: server.backend.clientId, clientSecret: server.backend.clientSecret, redirectUri: BACKEND_REDIRECT };
    await addUser(server, server.tenant.id, 'bob');
  });
  after(() => server.close());

  it('a user without connections is told how they appear', async () => {
    const bob = await consoleAs(server, 'acme', 'bob');
    const page = await (await bob.request('/console/connections')).text();
    assert.match(page, /No app can act for you/);
  });

  it('names an account whose name ends in a period without a second one', async () => {
    const tenant = await createTenant({ slug: 'initech', name: 'Initech Inc.' }, server.ctx);
    await addUser(server, tenant.id, 'peter');
    const page = await (await (await consoleAs(server, 'initech', 'peter')).request('/console/connections')).text();
    assert.match(page, /Initech Inc\./);
    assert.doesNotMatch(page, /Inc\.\./);
  });

  it('lists a granted app with its client, dates and access in the consent page\'s words', async () => {
    await tokensThrough(server, backend, { tenant: 'acme', username: 'bob' }, 'profile source:w offline_access');
    const bob = await consoleAs(server, 'acme', 'bob');
    const page = await (await bob.request('/console/connections')).text();
    assert.match(page, /<h2 id="connection-\d+">Backend app/);
    assert.match(page, /Syncs alert sources/, 'the app says what it does');
    assert.match(page, /<dd>Firefox, Mac<\/dd>/, 'the client it was granted from');
    assert.match(page, /Connected on<\/dt><dd><time datetime=/);
    assert.match(page, /Last activity<\/dt><dd><time datetime=/);
    assert.match(page, /See <strong>your profile<\/strong>/);
    assert.match(page, /See, Create, Edit <strong>Alert sources<\/strong>/);
    assert.match(page, /Keep this access <strong>when you are not using the app \(offline access\)<\/strong>/);
    const jane = await consoleAs(server, 'acme', 'jane');
    assert.doesNotMatch(await (await jane.request('/console/connections')).text(), /Backend app/, "another user's connections are not shown");
  });

  it('revoking ends the access token and the refresh token at once, and forgets the consent', async () => {
    const tokens = await tokensThrough(server, backend, { tenant: 'acme', username: 'bob' });
    await assertAccessWorks(server, tokens.accessToken);
    const bob = await consoleAs(server, 'acme', 'bob');
    const appId = server.backend.app.id;
    const confirm = await (await bob.request(`/console/connections/${appId}/revoke`)).text();
    assert.match(confirm, /<h1>Revoke the access of Backend app\?<\/h1>/, 'the confirmation names the app');
    await assertAccessWorks(server, tokens.accessToken);
    const response = await submit(bob, `/console/connections/${appId}/revoke`, `/console/connections/${appId}/revoke`);
    const { path, page } = await followDone(bob, response);
    assert.equal(path, '/console/connections');
    await assertTokensRefused(server, backend, tokens);
    assert.match(page, /The access of Backend app was revoked\./);
    const reloaded = await (await bob.request('/console/connections')).text();
    assert.doesNotMatch(reloaded, /Backend app/, 'the connection is gone, and the notice was shown once');
    assert.equal(await server.store.grants.find((await server.store.users.forLogin(server.tenant.id, 'bob'))?.id ?? 0, appId), undefined);
    // The app must ask again: the next authorization shows the consent page.
    const again = await new Browserless(server.url).authorize(
      new URLSearchParams({ client_id: backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile' }).toString(),
      { tenant: 'acme', username: 'bob', password: 'correct horse battery staple', decision: 'deny' },
    );
    assert.equal(again.location?.searchParams.get('error'), 'access_denied', 'the consent page was shown and could be refused');
  });

  it("without the CSRF token nothing is revoked; another user's connection cannot be revoked", async () => {
    const tokens = await tokensThrough(server, backend, { tenant: 'acme', username: 'bob' });
    const bob = await consoleAs(server, 'acme', 'bob');
    const appId = server.backend.app.id;
    const forged = await submit(bob, `/console/connections/${appId}/revoke`, `/console/connections/${appId}/revoke`, {}, { csrf: false });
    assert.equal(forged.status, 403);
    await assertAccessWorks(server, tokens.accessToken);
    // Jane has no connection to the app: her revoke touches no one else's, and says so.
    const jane = await consoleAs(server, 'acme', 'jane');
    const none = await post(jane, `/console/connections/${appId}/revoke`, { csrf: csrfOf(jane) });
    assert.equal(none.status, 404);
    await assertAccessWorks(server, tokens.accessToken);
    assert.equal((await post(bob, '/console/connections/not-a-number/revoke', { csrf: csrfOf(bob) })).status, 404);
    assert.equal((await jane.request(`/console/connections/${appId}/revoke`)).status, 404, 'no confirmation page for a connection one does not have');
  });
});
