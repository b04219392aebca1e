// Platform admins see the clients that registered themselves (and only there: no account's list
// shows them) and delete one behind a confirmation page, which revokes its tokens at once; others
// may not; console apps cannot be deleted through this page. SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { changeUser } from '../../src/platform/accounts.ts';
import { register, signInWithPublicClient, type Registered } from '../helpers/registration.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { consoleAs, csrfOf, followDone, post, submit } from './console-client.ts';

const REDIRECT = 'http://127.0.0.1/callback';

forEachStore('self-registered clients in the console', (kind) => {
  let server: TestServer;
  let client: Registered;
  before(async () => {
    server = await startTestServer({ store: kind.name, config: { registration: 'open', registrationPurgeDays: 45 } });
    await changeUser(server.user, { platformAdmin: true }, {}, server.ctx);
    client = (await register(server.url, { client_name: 'Claude <script>', redirect_uris: [REDIRECT, 'https://agent.example/cb'], token_endpoint_auth_method: 'none', software_id: 'agent-cli', software_version: '0.9' })).body as Registered;
  });
  after(() => server.close());

  it('lists them for platform admins, escaped, and in no account list', async () => {
    const jane = await consoleAs(server, 'acme', 'jane');
    const response = await jane.request('/console/admin/clients');
    assert.equal(response.status, 200);
    const page = await response.text();
    assert.match(page, /Claude &lt;script&gt;/);
    assert.doesNotMatch(page, /Claude <script>/);
    assert.match(page, new RegExp(client.client_id));
    assert.match(page, /127\.0\.0\.1, agent\.example/);
    assert.match(page, /agent-cli 0\.9/);
    assert.match(page, /never/, 'not used yet');
    assert.match(page, /no token for 45 days are deleted automatically/);
    assert.match(page, /href="\/console\/admin\/clients" aria-current="page">Registered clients/);
    for (const list of ['/console/apps', '/console/admin/apps']) assert.doesNotMatch(await (await jane.request(list)).text(), /Claude &lt;script&gt;/, `${list} does not list it`);
  });

  it('deletes one after asking, revoking its tokens at once', async () => {
    const granted = await signInWithPublicClient(server.url, client.client_id, REDIRECT, { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.equal(granted.status, 200, granted.text);
    const api = () => fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${String(granted.body.access_token)}`, accept: 'application/json' } });
    assert.equal((await api()).status, 200);

    const jane = await consoleAs(server, 'acme', 'jane');
    assert.match(await (await jane.request('/console/connections')).text(), /Claude &lt;script&gt;/, 'the user sees it among their connections, to revoke it');
    const list = await (await jane.request('/console/admin/clients')).text();
    const app = await server.store.apps.byClientId(client.client_id);
    assert.ok(app);
    assert.match(list, new RegExp(`href="/console/admin/clients/${app.id}/delete"`));
    const confirm = await (await jane.request(`/console/admin/clients/${app.id}/delete`)).text();
    assert.match(confirm, /Every token it holds stops working at once/);
    const { path, page } = await followDone(jane, await submit(jane, `/console/admin/clients/${app.id}/delete`, `/console/admin/clients/${app.id}/delete`));
    assert.equal(path, '/console/admin/clients');
    assert.match(page, /The client “Claude &lt;script&gt;” was deleted and its tokens revoked\./);
    assert.match(page, /No client has registered itself\./);
    assert.equal((await api()).status, 401, 'its access token stopped working');
    assert.equal(await server.store.apps.byClientId(client.client_id), undefined);
    const events = await server.store.audit.list({ limit: 5 });
    assert.ok(events.some((e) => e.type === 'app_deleted' && e.userId === server.user.id && /deleted by a platform admin/.test(e.detail)));
  });

  it('refuses others, forged posts, and console apps', async () => {
    const other = (await register(server.url, { client_name: 'Other', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' })).body as Registered;
    const id = (await server.store.apps.byClientId(other.client_id))?.id;
    const jane = await consoleAs(server, 'acme', 'jane');
    assert.equal((await post(jane, `/console/admin/clients/${id}/delete`, {})).status, 403, 'no CSRF token');
    assert.equal((await post(jane, `/console/admin/clients/${server.backend.app.id}/delete`, { csrf: csrfOf(jane) })).status, 404, 'a console app is not deleted here');
    assert.equal((await jane.request(`/console/admin/clients/${server.backend.app.id}/delete`)).status, 404);
    assert.ok(await server.store.apps.byId(server.backend.app.id));

    await changeUser(server.user, { platformAdmin: false }, {}, server.ctx);
    const plain = await consoleAs(server, 'acme', 'jane');
    assert.equal((await plain.request('/console/admin/clients')).status, 403);
    assert.equal((await post(plain, `/console/admin/clients/${id}/delete`, { csrf: csrfOf(plain) })).status, 403);
    assert.ok(await server.store.apps.byClientId(other.client_id), 'still there');
    await changeUser(server.user, { platformAdmin: true }, {}, server.ctx);
  });
});
