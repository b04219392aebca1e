// Services in the console: the app form's service scopes (checkboxes per resource, shown with the
// client_credentials grant type; each checked against its resource's scopes, levels read as at
// authorize), and disabling an app behind a confirmation page (its tokens stop at once, the list
// and its page say it is disabled, the audit log records it) and enabling it again.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { registerResource } from '../../src/platform/resources.ts';
import { Browserless, formPairs } from '../helpers/browserless.ts';
import { createUser } from '../../src/platform/accounts.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, tokenUrl } from '../helpers/token-client.ts';
import { consoleAs, credentialsOn, followDone, submit } from './console-client.ts';

const NOTES = 'https://notes.example.com/api';

forEachStore('services in the console', (kind) => {
  let server: TestServer;
  let jane: Browserless;
  let notesId: number;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    notesId = (await registerResource({ identifier: NOTES, name: 'Notes', scopes: [{ kind: 'family', name: 'notes', noun: 'Notes' }, { kind: 'plain', name: 'notes.export', description: 'Export notes' }] }, {}, server.ctx)).resource.id;
    jane = await consoleAs(server, 'acme', 'jane');
  });
  after(() => server.close());

  /** Posts the form of `page` to `action` with its hidden fields and these pairs (repeats kept, as a browser sends ticked boxes). */
  async function post(page: string, action: string, pairs: [string, string][]): Promise<Response> {
    const opened = await jane.request(page);
    assert.equal(opened.status, 200);
    return jane.request(action, { method: 'POST', form: [...formPairs(await opened.text(), action), ...pairs] });
  }
  const serviceToken = (clientId: string, clientSecret: string) => postForm(tokenUrl(server.url), { grant_type: 'client_credentials' }, { authorization: basicAuth(clientId, clientSecret) });
  const checked = (page: string, resourceId: number, scope: string) => new RegExp(`name="service_scope_${resourceId}" value="${scope.replace('.', '\\.')}" checked`).test(page);

  let app: { id: number; clientId: string; clientSecret: string };

  it('registers a service with service scopes per resource; the shown secret gets a token within them', async () => {
    const response = await post('/console/apps/new', '/console/apps', [
      ['name', 'Nightly report'],
      ['description', 'Reads alert sources every night'],
      ['redirect_uris', ''],
      ['refresh_rotation', 'public'],
      ['grant_client_credentials', 'on'],
      ['service_scope_1', 'source'],
      ['service_scope_1', 'source:w'],
      ['service_scope_1', 'profile'],
      [`service_scope_${notesId}`, 'notes.export'],
    ]);
    const { page, status } = await followDone(jane, response);
    assert.equal(status, 200);
    const { clientId, clientSecret } = credentialsOn(page);
    assert.ok(clientSecret);
    const stored = await server.store.apps.byClientId(clientId);
    assert.ok(stored);
    app = { id: stored.id, clientId, clientSecret };
    assert.deepEqual(stored.grantTypes, ['client_credentials']);
    assert.deepEqual(stored.serviceScopes, [{ resourceId: 1, scope: 'profile source:w' }, { resourceId: notesId, scope: 'notes.export' }]);
    assert.match(page, /Service scopes \(client_credentials\)/);
    assert.ok(checked(page, 1, 'source') && checked(page, 1, 'source:w') && checked(page, 1, 'profile'), 'a level shows with the lower ones it covers');
    assert.ok(!checked(page, 1, 'source:d') && !checked(page, 1, 'policy'));
    assert.ok(checked(page, notesId, 'notes.export') && !checked(page, notesId, 'notes'));

    const token = await serviceToken(clientId, clientSecret);
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.scope, 'profile source:w');
  });

  it('refuses scopes a resource does not define, or a resource that does not exist, beside the field; nothing changes', async () => {
    const form = (pairs: [string, string][]) => post(`/console/apps/${app.id}`, `/console/apps/${app.id}`, [['description', 'x'], ['redirect_uris', ''], ['refresh_rotation', 'public'], ['grant_client_credentials', 'on'], ...pairs]);
    const unknown = await form([[`service_scope_${notesId}`, 'source:w']]);
    assert.equal(unknown.status, 400);
    const page = await unknown.text();
    assert.match(page, /id="app-service-scopes-error"[^>]*>.*Unknown service scope source:w: not a scope of Notes/s);
    assert.match(page, /href="#app-service-scopes"/, 'the error summary links to the field');
    const nowhere = await form([['service_scope_999', 'x']]);
    assert.equal(nowhere.status, 400);
    assert.match(await nowhere.text(), /There is no resource &quot;999&quot;/);
    assert.deepEqual((await server.store.apps.byId(app.id))?.serviceScopes, [{ resourceId: 1, scope: 'profile source:w' }, { resourceId: notesId, scope: 'notes.export' }]);
  });

  it('saving the page as shown keeps the service scopes; unticking narrows them and ends the tokens', async () => {
    const before = String((await serviceToken(app.clientId, app.clientSecret)).body.access_token);
    const shown = await (await jane.request(`/console/apps/${app.id}`)).text();
    const ticked = [...shown.matchAll(/name="(service_scope_\d+)" value="([^"]+)" checked/g)].map((m): [string, string] => [m[1] ?? '', m[2] ?? '']);
    const fields: [string, string][] = [['description', 'Reads alert sources every night'], ['redirect_uris', ''], ['refresh_rotation', 'public'], ['grant_client_credentials', 'on']];
    await followDone(jane, await post(`/console/apps/${app.id}`, `/console/apps/${app.id}`, [...fields, ...ticked]));
    assert.deepEqual((await server.store.apps.byId(app.id))?.serviceScopes, [{ resourceId: 1, scope: 'profile source:w' }, { resourceId: notesId, scope: 'notes.export' }]);
    assert.equal((await fetch(`${server.url}/api/alert-sources`, { headers: { authorization: `Bearer ${before}` } })).status, 200);

    await followDone(jane, await post(`/console/apps/${app.id}`, `/console/apps/${app.id}`, [...fields, ['service_scope_1', 'source']]));
    assert.deepEqual((await server.store.apps.byId(app.id))?.serviceScopes, [{ resourceId: 1, scope: 'source' }]);
    assert.equal((await fetch(`${server.url}/api/alert-sources`, { headers: { authorization: `Bearer ${before}` } })).status, 401);
  });

  it('disables an app behind a confirmation page: its tokens stop, it gets none, the pages say so; enabling lets it ask again', async () => {
    const token = String((await serviceToken(app.clientId, app.clientSecret)).body.access_token);
    const confirm = await (await jane.request(`/console/apps/${app.id}/disable`)).text();
    assert.match(confirm, /Disable Nightly report\?/);
    assert.match(confirm, /Every token the app holds stops working at once/);
    const manage = await (await jane.request(`/console/apps/${app.id}`)).text();
    assert.match(manage, new RegExp(`href="/console/apps/${app.id}/disable"`), 'the page links to the confirmation, it does not disable');

    const { page } = await followDone(jane, await submit(jane, `/console/apps/${app.id}/disable`, `/console/apps/${app.id}/disable`));
    assert.match(page, /The app is disabled: 1 token family revoked/);
    assert.match(page, /<span class="badge disabled">Disabled<\/span>/);
    assert.match(page, /Enable app/);
    assert.equal((await fetch(`${server.url}/api/alert-sources`, { headers: { authorization: `Bearer ${token}` } })).status, 401);
    assert.equal((await serviceToken(app.clientId, app.clientSecret)).body.error, 'invalid_client');
    const list = await (await jane.request('/console/apps')).text();
    assert.match(list, /Nightly report<\/span><\/a><\/th>\s*<td data-label="State"><span class="badge">Unverified<\/span> <span class="badge disabled">Disabled<\/span>/);
    const audit = await (await jane.request('/console/audit')).text();
    assert.match(audit, /App disabled/);

    const enabled = await followDone(jane, await submit(jane, `/console/apps/${app.id}`, `/console/apps/${app.id}/enable`));
    assert.match(enabled.page, /The app is enabled/);
    assert.doesNotMatch(enabled.page, /badge disabled/);
    assert.equal((await fetch(`${server.url}/api/alert-sources`, { headers: { authorization: `Bearer ${token}` } })).status, 401, 'the old token stays revoked');
    assert.equal((await serviceToken(app.clientId, app.clientSecret)).status, 200);
  });

  it("answers another account's admin 404 and a forged form 403, changing nothing", async () => {
    await createUser({ tenantId: server.otherTenant.id, username: 'olga', password: PASSWORD, role: 'ADMIN' }, server.ctx);
    const olga = await consoleAs(server, 'globex', 'olga');
    assert.equal((await olga.request(`/console/apps/${app.id}/disable`)).status, 404);
    const csrf = olga.cookie('gh_csrf') ?? '';
    assert.equal((await olga.request(`/console/apps/${app.id}/disable`, { method: 'POST', form: { csrf } })).status, 404);
    const forged = await submit(jane, `/console/apps/${app.id}/disable`, `/console/apps/${app.id}/disable`, {}, { csrf: false });
    assert.equal(forged.status, 403);
    assert.equal((await server.store.apps.byId(app.id))?.disabledAt, null);
  });
});
