// Platform admins: the flag is set with `gatehouse users set-platform-admin`, and lets its holder
// see every account's apps and mark them verified, which users then see on the consent page.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { changeUser } from '../../src/platform/accounts.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { consoleAs, csrfOf, post, submit, followDone } from './console-client.ts';

const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');

forEachStore('platform admins in the console', (kind) => {
  let server: TestServer;
  let globexApp: { id: number; clientId: string };
  before(async () => {
    server = await startTestServer({ store: kind.name });
    await changeUser(server.user, { platformAdmin: true }, {}, server.ctx);
    const registered = await registerApp({ tenantId: server.otherTenant.id, name: 'Globex sync', redirectUris: ['https://globex.example/cb'] }, server.ctx);
    globexApp = { id: registered.app.id, clientId: registered.app.clientId };
  });
  after(() => server.close());

  it('lists the apps of every account with their owner', async () => {
    const jane = await consoleAs(server, 'acme', 'jane');
    const page = await (await jane.request('/console/admin/apps')).text();
    assert.match(page, /Backend app/);
    assert.match(page, /Globex sync/);
    assert.match(page, /Globex \(globex\)/);
    assert.match(page, /Acme Corp \(acme\)/);
  });

  it("marks another account's app verified; the consent page then says so", async () => {
    const jane = await consoleAs(server, 'acme', 'jane');
    const response = await submit(jane, '/console/admin/apps', `/console/admin/apps/${globexApp.id}/verified`);
    const { path, page } = await followDone(jane, response);
    assert.equal(path, '/console/admin/apps');
    assert.equal((await server.store.apps.byId(globexApp.id))?.verified, true);
    assert.match(page, /Globex sync is now marked verified\./);
    const otto = new Browserless(server.url);
    await otto.signIn('globex', 'otto', PASSWORD);
    const consent = await (await otto.request(`/api/developers/oauth2/authorize?${authorizeQuery({ client_id: globexApp.clientId, response_type: 'code', redirect_uri: 'https://globex.example/cb', scope: 'profile' })}`)).text();
    assert.match(consent, /<span class="badge verified">Verified<\/span>/);

    const back = await submit(jane, '/console/admin/apps', `/console/admin/apps/${globexApp.id}/verified`);
    assert.equal(back.status, 303);
    assert.equal((await server.store.apps.byId(globexApp.id))?.verified, false, 'and unverified again');
  });

  it('refuses a post without CSRF or without a clear answer, and an unknown app', async () => {
    const jane = await consoleAs(server, 'acme', 'jane');
    const csrf = csrfOf(jane);
    assert.equal((await post(jane, `/console/admin/apps/${globexApp.id}/verified`, { verified: 'true' })).status, 403);
    assert.equal((await post(jane, `/console/admin/apps/${globexApp.id}/verified`, { csrf, verified: 'maybe' })).status, 400);
    assert.equal((await post(jane, '/console/admin/apps/99999/verified', { csrf, verified: 'true' })).status, 404);
    assert.equal((await server.store.apps.byId(globexApp.id))?.verified, false);
  });

  it('a tenant admin without the flag may not verify, not even their own app', async () => {
    await changeUser(server.user, { platformAdmin: false }, {}, server.ctx);
    const jane = await consoleAs(server, 'acme', 'jane');
    assert.equal((await jane.request('/console/admin/apps')).status, 403);
    const own = await post(jane, `/console/admin/apps/${server.backend.app.id}/verified`, { csrf: csrfOf(jane), verified: 'true' });
    assert.equal(own.status, 403);
    assert.equal((await server.store.apps.byId(server.backend.app.id))?.verified, false);
    assert.doesNotMatch(await (await jane.request('/console/apps')).text(), /href="\/console\/admin\/apps"/, 'the section is not offered');
  });
});

describe('gatehouse users set-platform-admin', () => {
  let dir: string;
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: '', DATABASE_URL: '' }, encoding: 'utf8' });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-platform-admin-'));
    assert.equal(run('migrate').code, 0);
    assert.equal(run('tenants', 'create', 'acme').code, 0);
    assert.equal(run('users', 'create', '--tenant', 'acme', '--username', 'pat', '--password', 'a long password').code, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sets and clears the flag, and refuses an unknown user', () => {
    const on = run('users', 'set-platform-admin', '--tenant', 'acme', '--username', 'pat', '--json');
    assert.equal(on.code, 0, on.stderr);
    assert.deepEqual(JSON.parse(on.stdout), { id: 1, username: 'pat', tenant: 'acme', platform_admin: true });
    const off = run('users', 'set-platform-admin', '--tenant', 'acme', '--username', 'pat', '--off');
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stdout, /pat in acme is no longer a platform admin/);
    const audit = run('audit', '--tenant', 'acme', '--json');
    assert.match(audit.stdout, /made platform admin/);
    assert.match(audit.stdout, /no longer platform admin/);
    const unknown = run('users', 'set-platform-admin', '--tenant', 'acme', '--username', 'nobody');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no user "nobody" in acme/);
  });
});
