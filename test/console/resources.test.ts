// Resource servers through the console: only platform admins reach their pages; registering shows
// every problem at once, then the secret once (Post/Redirect/Get), which works at introspection;
// rotating and deleting go through confirmation pages and take effect the way an API would notice;
// developers see the resources an app can ask for and choose its default resource.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { changeUser } from '../../src/platform/accounts.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';
import { addUser, consoleAs, credentialsOn, csrfOf, followDone, post, submit, textOf } from './console-client.ts';

const NOTES = 'https://notes.example.com/api';
const JANE = { tenant: 'acme', username: 'jane', password: PASSWORD };
const LIST = '/console/admin/resources';

/** The resource's client id and secret as its page shows them (the secret only right after it was made). */
function resourceCredentialsOn(page: string): { clientId: string; clientSecret?: string } {
  const clientId = /id="client-id" type="text" readonly value="(rs_[0-9a-f]{20})"/.exec(page)?.[1] ?? assert.fail('the page shows the client id');
  return { clientId, clientSecret: /id="client-secret" type="text" readonly value="([0-9a-f]{64})"/.exec(page)?.[1] };
}

forEachStore('resource servers in the console', (kind) => {
  let server: TestServer;
  let jane: Browserless;
  let notes: { id: number; clientId: string; clientSecret: string };
  const introspect = (token: string, id: string, secret: string) => postForm(`${server.url}/oauth2/introspect`, { token }, { authorization: basicAuth(id, secret) });
  /** A token for the backend app as jane, for `resource` (none: the app's default). */
  async function tokenFor(scope: string, resource?: string, clientId = server.backend.clientId, clientSecret = server.backend.clientSecret): Promise<string> {
    const query = authorizeQuery({ client_id: clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope, state: 's', resource });
    const code = await new Browserless(server.url).authorizeCode(query, JANE);
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, client_id: clientId, client_secret: clientSecret });
    assert.equal(token.status, 200, token.text);
    return String(token.body.access_token);
  }

  before(async () => {
    server = await startTestServer({ store: kind.name });
    await changeUser(server.user, { platformAdmin: true }, {}, server.ctx);
    await addUser(server, server.tenant.id, 'bob');
    await addUser(server, server.tenant.id, 'tina', 'ADMIN');
    jane = await consoleAs(server, 'acme', 'jane');
  });
  after(() => server.close());

  it('only platform admins reach the resource pages; their posts change nothing', async () => {
    for (const [username, role] of [['bob', 'a user'], ['tina', 'a tenant admin']] as const) {
      const browser = await consoleAs(server, 'acme', username);
      for (const path of [LIST, `${LIST}/new`, `${LIST}/1`, `${LIST}/1/secret`]) {
        const response = await browser.request(path);
        assert.equal(response.status, 403, `${role}: ${path}`);
        assert.match(await response.text(), /Only platform admins/);
      }
      const csrf = csrfOf(browser);
      assert.equal((await post(browser, LIST, { csrf, identifier: 'https://sneaky.example', name: 'Sneaky', scopes: 'family x = X' })).status, 403);
      assert.equal((await post(browser, `${LIST}/1/secret`, { csrf })).status, 403);
      assert.doesNotMatch(await (await browser.request('/console/connections')).text(), /href="\/console\/admin\/resources"/, 'the section is not offered');
    }
    assert.equal(await server.store.resourceServers.byIdentifier('https://sneaky.example'), undefined);
    assert.equal((await new Browserless(server.url).request(LIST)).status, 302, 'signed out: to the sign-in page');
    for (const path of [`${LIST}/999`, `${LIST}/abc`, `${LIST}/999/delete`]) assert.equal((await jane.request(path)).status, 404, path);
    assert.equal((await post(jane, `${LIST}/1/secret`, { csrf: 'forged' })).status, 403, 'no CSRF token, no rotation');
  });

  it('lists the resources, the built-in API with its real identifier', async () => {
    const page = await (await jane.request(LIST)).text();
    assert.match(page, /<a href="\/console\/admin\/resources"[^>]*aria-current="page">Resources<\/a>/);
    assert.match(page, new RegExp(`Gatehouse API \\(ilert-compatible\\)</span></a> <span class="badge">Built-in</span>`));
    assert.match(page, new RegExp(`<code>${server.url}/api</code>`));
    assert.match(page, /20 scopes/);
  });

  it('registering shows every problem at once beside its field, keeps what was typed, and registers nothing', async () => {
    const before = (await server.store.resourceServers.list()).length;
    const response = await submit(jane, `${LIST}/new`, LIST, { identifier: 'notes/api', name: '', description: 'Kept', scopes: 'family notes = Notes\nbogus line\nfamily Bad = Things', token_lifetime: '5' });
    const page = await response.text();
    assert.equal(response.status, 400);
    assert.match(page, /There are 4 problems/);
    assert.match(textOf(page, 'resource-identifier-error') ?? '', /must be an absolute URI/);
    assert.match(textOf(page, 'resource-name-error') ?? '', /name must be 1 to 100/);
    const scopes = textOf(page, 'resource-scopes-error') ?? '';
    assert.match(scopes, /Line 2 \(&quot;bogus line&quot;\) must read &quot;family NAME = NOUN&quot; or &quot;scope NAME = DESCRIPTION&quot;/);
    assert.match(scopes, /The family &quot;Bad&quot; must be lowercase/);
    assert.match(textOf(page, 'resource-lifetime-error') ?? '', /from 60 to 86400/);
    assert.match(page, /id="resource-identifier" name="identifier" type="text" value="notes\/api"/);
    assert.match(page, />family notes = Notes\nbogus line\nfamily Bad = Things<\/textarea>/);
    const taken = await (await submit(jane, `${LIST}/new`, LIST, { identifier: `${server.url}/api`, name: 'Again', scopes: 'family x = X' })).text();
    assert.match(textOf(taken, 'resource-identifier-error') ?? '', /built-in API(&#39;|')s/);
    assert.equal((await server.store.resourceServers.list()).length, before);
  });

  it('registers a resource: its page shows the secret once, and the secret works at introspection', async () => {
    const response = await submit(jane, `${LIST}/new`, LIST, { identifier: NOTES, name: 'Notes', description: 'Your notes', scopes: 'family notes = Notes\r\n\r\nscope notes.export = Export all your notes', token_lifetime: '600' });
    const { path, page } = await followDone(jane, response);
    assert.match(path, /^\/console\/admin\/resources\/\d+$/);
    assert.match(page, /Resource registered\. Copy the client secret now/);
    const { clientId, clientSecret } = resourceCredentialsOn(page);
    assert.ok(clientSecret, 'the secret is shown right after registration');
    notes = { id: Number(path.split('/').pop()), clientId, clientSecret };
    const stored = await server.store.resourceServers.byIdentifier(NOTES);
    assert.deepEqual(stored?.scopes, [
      { kind: 'family', name: 'notes', noun: 'Notes' },
      { kind: 'plain', name: 'notes.export', description: 'Export all your notes' },
    ]);
    assert.equal(stored?.accessTokenLifetime, 600);
    // A reload shows neither the secret nor the notice, and registers nothing twice.
    const reloaded = await (await jane.request(path)).text();
    assert.equal(resourceCredentialsOn(reloaded).clientSecret, undefined);
    assert.doesNotMatch(reloaded, /Resource registered/);
    assert.equal((await server.store.resourceServers.list()).filter((r) => r.identifier === NOTES).length, 1);

    const token = await tokenFor('notes:w', NOTES);
    const seen = await introspect(token, clientId, clientSecret);
    assert.equal(seen.body.active, true, seen.text);
    assert.equal(seen.body.aud, NOTES);
  });

  it('changes the settings; the built-in API keeps its scopes and lifetime', async () => {
    const page = `${LIST}/${notes.id}`;
    const refused = await submit(jane, page, page, { name: 'Notes', scopes: 'family notes Notes', token_lifetime: '600' });
    assert.equal(refused.status, 400);
    assert.match(textOf(await refused.text(), 'resource-scopes-error') ?? '', /Line 1/);
    const saved = await followDone(jane, await submit(jane, page, page, { identifier: 'https://elsewhere.example', name: 'Notes API', scopes: 'family notes = Notes\nscope notes.export = Export all your notes\nscope notes.share = Share your notes', token_lifetime: '900' }));
    assert.match(saved.page, /Settings saved\./);
    const stored = await server.store.resourceServers.byId(notes.id);
    assert.equal(stored?.name, 'Notes API');
    assert.equal(stored?.identifier, NOTES, 'the identifier cannot change');
    assert.equal(stored?.scopes.length, 3);
    assert.equal(stored?.accessTokenLifetime, 900);
    assert.doesNotMatch(await (await jane.request(page)).text(), /Settings saved/, 'the notice is shown once');

    const builtIn = await (await jane.request(`${LIST}/1`)).text();
    assert.doesNotMatch(builtIn, /name="scopes"/, "the built-in API's scopes are shown, not editable");
    assert.match(builtIn, /<code>source:w<\/code>/);
    assert.match(builtIn, /cannot be deleted/);
    await followDone(jane, await submit(jane, `${LIST}/1`, `${LIST}/1`, { name: 'Gatehouse API', scopes: 'family x = X', token_lifetime: '60' }));
    const after = await server.store.resourceServers.byId(1);
    assert.equal(after?.name, 'Gatehouse API');
    assert.equal(after?.scopes.length, 20);
    assert.equal(after?.accessTokenLifetime, null);
  });

  it('rotates the secret through a confirmation page: shown once, the old one refused at once', async () => {
    const token = await tokenFor('notes', NOTES);
    const confirm = await (await jane.request(`${LIST}/${notes.id}/secret`)).text();
    assert.match(confirm, /<h1>Rotate the secret of Notes API\?<\/h1>/);
    assert.equal((await introspect(token, notes.clientId, notes.clientSecret)).body.active, true, 'opening the confirmation rotates nothing');
    const { page } = await followDone(jane, await submit(jane, `${LIST}/${notes.id}/secret`, `${LIST}/${notes.id}/secret`));
    assert.match(page, /the old one no longer works/);
    const { clientSecret } = resourceCredentialsOn(page);
    assert.ok(clientSecret && clientSecret !== notes.clientSecret);
    assert.equal(resourceCredentialsOn(await (await jane.request(`${LIST}/${notes.id}`)).text()).clientSecret, undefined, 'shown once');
    assert.equal((await introspect(token, notes.clientId, notes.clientSecret)).status, 401);
    assert.equal((await introspect(token, notes.clientId, clientSecret)).body.active, true, 'tokens already issued keep working');
    notes.clientSecret = clientSecret;
  });

  it('shows developers the resources an app can ask for, and lets them choose its default resource', async () => {
    const tina = await consoleAs(server, 'acme', 'tina');
    const form = await (await tina.request('/console/apps/new')).text();
    assert.match(form, /Resources your app can ask for/);
    assert.match(form, new RegExp(`Identifier: <code>${server.url}/api</code>`));
    assert.match(form, new RegExp(`Identifier: <code>${NOTES}</code>`));
    assert.match(form, /<code>notes:w<\/code>/);
    assert.match(form, /<code>notes\.export<\/code> — Export all your notes/);
    assert.match(form, /<option value="" selected>Gatehouse API \(built-in\)<\/option>/);
    assert.match(form, new RegExp(`<option value="${notes.id}">Notes API \\(${NOTES}\\)</option>`));

    const fields = { name: 'Notes client', redirect_uris: BACKEND_REDIRECT, refresh_rotation: 'public' };
    for (const [value, message] of [['x', /Choose one of the resources/], ['999', /There is no resource with id 999/]] as const) {
      const refused = await submit(tina, '/console/apps/new', '/console/apps', { ...fields, default_resource: value });
      assert.equal(refused.status, 400);
      assert.match(textOf(await refused.text(), 'app-default-resource-error') ?? '', message);
    }
    const created = await followDone(tina, await submit(tina, '/console/apps/new', '/console/apps', { ...fields, default_resource: String(notes.id) }));
    const app = credentialsOn(created.page);
    assert.match(created.page, new RegExp(`<option value="${notes.id}" selected>`));
    assert.match(created.page, /Resources your app can ask for/);
    assert.equal((await server.store.apps.byClientId(app.clientId))?.defaultResourceId, notes.id);
    // A request that names no resource gets a token for the default.
    const token = await tokenFor('notes', undefined, app.clientId, app.clientSecret);
    assert.equal((await introspect(token, notes.clientId, notes.clientSecret)).body.aud, NOTES);
    // Back to the built-in API.
    const id = created.path.split('/').pop() ?? '';
    await followDone(tina, await submit(tina, `/console/apps/${id}`, `/console/apps/${id}`, { ...fields, default_resource: '' }));
    assert.equal((await server.store.apps.byClientId(app.clientId))?.defaultResourceId, null);
  });

  it('deletes a resource through a confirmation page that warns; its tokens stop working', async () => {
    const token = await tokenFor('notes', NOTES);
    assert.equal((await jane.request(`${LIST}/1/delete`)).status, 404, 'the built-in API offers no deletion');
    assert.equal((await post(jane, `${LIST}/1/delete`, { csrf: csrfOf(jane) })).status, 400);
    const confirm = await (await jane.request(`${LIST}/${notes.id}/delete`)).text();
    assert.match(confirm, /<h1>Delete Notes API\?<\/h1>/);
    assert.match(confirm, /Every token for it stops working at once/);
    assert.ok(await server.store.resourceServers.byId(notes.id), 'opening the confirmation deletes nothing');
    const { path, page } = await followDone(jane, await submit(jane, `${LIST}/${notes.id}/delete`, `${LIST}/${notes.id}/delete`));
    assert.equal(path, LIST);
    assert.match(page, /The resource “Notes API” was deleted\. \d+ authorizations were revoked with all their tokens\./);
    assert.doesNotMatch(await (await jane.request(LIST)).text(), /Notes API/, 'gone, and the notice shown once');
    assert.equal((await postForm(tokenInfoUrl(server.url), { token })).body.active, false);
    assert.equal((await jane.request(`${LIST}/${notes.id}`)).status, 404);
    assert.ok(await server.store.resourceServers.byId(1), 'the built-in API stays');
  });
});
