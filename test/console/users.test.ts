// Users and the audit log for tenant admins: create a user (errors beside the fields), change a
// role, disable (their session and tokens stop at once) and enable, the last-admin rule, and the
// account's audit events with the day filter.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { assertAccessWorks, assertTokensRefused, consoleAs, submit, textOf, tokensThrough, followDone } from './console-client.ts';

forEachStore('users and audit log in the console', (kind) => {
  let server: TestServer;
  let jane: Browserless;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    jane = await consoleAs(server, 'acme', 'jane');
  });
  after(() => server.close());

  const userId = async (username: string) => (await server.store.users.forLogin(server.tenant.id, username))?.id ?? assert.fail(`no user ${username}`);

  it('creates a user who can then sign in', async () => {
    const response = await submit(jane, '/console/users', '/console/users', {
      username: 'carla',
      password: 'a fine long password',
      email: 'carla@acme.example',
      first_name: 'Carla',
      last_name: 'Conti',
      role: 'RESPONDER',
    });
    const { path, page } = await followDone(jane, response);
    const id = await userId('carla');
    assert.equal(path, '/console/users');
    assert.match(page, /Created user carla\./);
    assert.match(page, /carla@acme\.example/);
    const carla = await server.store.users.byId(id);
    assert.equal(carla?.role, 'RESPONDER');
    assert.equal(carla?.firstName, 'Carla');
    const signIn = await new Browserless(server.url).signIn('acme', 'carla', 'a fine long password');
    assert.equal(signIn.status, 303);
  });

  it('refuses bad input beside the field, keeps what was typed (never the password), creates nothing', async () => {
    const cases = [
      [{ username: 'bad name!' }, 'new-username', /username of 1 to 100/],
      [{ username: 'carla' }, 'new-username', /already exists/],
      [{ password: 'short' }, 'new-password', /at least 8 characters/],
      [{ email: 'not-an-email' }, 'new-email', /email address/],
      [{ role: 'GOD' }, 'new-role', /Choose a role/],
    ] as const;
    const before = (await server.store.users.listByTenant(server.tenant.id)).length;
    for (const [fields, fieldId, message] of cases) {
      const response = await submit(jane, '/console/users', '/console/users', { username: 'newbie', password: 'secret password 1', first_name: 'Kept', role: 'USER', ...fields });
      const page = await response.text();
      assert.equal(response.status, 400, JSON.stringify(fields));
      assert.match(textOf(page, `${fieldId}-error`) ?? '', message);
      assert.match(page, /id="new-first-name" name="first_name" type="text" value="Kept"/);
      assert.doesNotMatch(page, /secret password 1/, 'the password is not sent back');
    }
    assert.equal((await server.store.users.listByTenant(server.tenant.id)).length, before);
  });

  it('changes a role: a new admin can manage apps', async () => {
    const id = await userId('carla');
    const carla = await consoleAs(server, 'acme', 'carla', 'a fine long password');
    assert.equal((await carla.request('/console/apps')).status, 403);
    const response = await submit(jane, '/console/users', `/console/users/${id}/role`, { role: 'ADMIN' });
    const { page } = await followDone(jane, response);
    assert.equal((await server.store.users.byId(id))?.role, 'ADMIN');
    assert.match(page, /Saved changes to user carla\./);
    assert.equal((await carla.request('/console/apps')).status, 200);
    const bad = await submit(jane, '/console/users', `/console/users/${id}/role`, { role: 'OWNER' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /Choose one of the roles/);
    assert.equal((await server.store.users.byId(id))?.role, 'ADMIN');
  });

  it("disabling a user ends their session and every token at once; enabling lets them sign in again", async () => {
    await submit(jane, '/console/users', '/console/users', { username: 'dora', password: 'dora the explorer', role: 'USER' });
    const id = await userId('dora');
    const backend = { clientId: server.backend.clientId, clientSecret: server.backend.clientSecret, redirectUri: BACKEND_REDIRECT };
    const doraTokens = await tokensThrough(server, backend, { tenant: 'acme', username: 'dora', password: 'dora the explorer' });
    const dora = await consoleAs(server, 'acme', 'dora', 'dora the explorer');
    await assertAccessWorks(server, doraTokens.accessToken);
    assert.equal((await dora.request('/console/connections')).status, 200, 'dora is signed in');

    const disabled = await submit(jane, '/console/users', `/console/users/${id}/disable`);
    assert.equal(disabled.status, 303);
    assert.equal((await server.store.users.byId(id))?.disabled, true);
    await assertTokensRefused(server, backend, doraTokens);
    assert.equal((await dora.request('/console/connections')).status, 302, 'her session ended');
    assert.equal((await new Browserless(server.url).signIn('acme', 'dora', 'dora the explorer')).status, 401, 'she cannot sign in');
    assert.match(await (await jane.request('/console/users')).text(), /Disabled/);

    const enabled = await submit(jane, '/console/users', `/console/users/${id}/enable`);
    assert.equal(enabled.status, 303);
    assert.equal((await server.store.users.byId(id))?.disabled, false);
    assert.equal((await new Browserless(server.url).signIn('acme', 'dora', 'dora the explorer')).status, 303);
  });

  it('keeps an active admin: the last one cannot be demoted, and nobody disables themselves', async () => {
    // Carla is an admin too; make her a responder again, so jane is the last admin.
    await submit(jane, '/console/users', `/console/users/${await userId('carla')}/role`, { role: 'RESPONDER' });
    const demote = await submit(jane, '/console/users', `/console/users/${server.user.id}/role`, { role: 'USER' });
    const page = await demote.text();
    assert.equal(demote.status, 400);
    assert.match(textOf(page, `user-${server.user.id}-error`) ?? '', /at least one active admin/);
    assert.equal((await server.store.users.byId(server.user.id))?.role, 'ADMIN');
    assert.doesNotMatch(page, new RegExp(`action="/console/users/${server.user.id}/disable"`), 'no Disable button for yourself');
    const csrf = jane.cookie('gh_csrf') ?? '';
    const self = await jane.request(`/console/users/${server.user.id}/disable`, { method: 'POST', form: { csrf } });
    assert.equal(self.status, 400);
    assert.match(await self.text(), /cannot disable your own account/);
    assert.equal((await server.store.users.byId(server.user.id))?.disabled, false);
  });

  it("shows the account's audit events, newest first, filtered by day, and no other account's", async () => {
    await new Browserless(server.url).signIn('globex', 'otto', PASSWORD);
    const page = await (await jane.request('/console/audit')).text();
    assert.match(page, /Signed in/);
    assert.match(page, /User created/);
    assert.match(page, /User changed/);
    assert.match(page, /user &quot;dora&quot;: disabled/);
    assert.doesNotMatch(page, /otto/, "another account's events are not shown");
    const rows = [...page.matchAll(/<td data-label="When"><time datetime="([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.ok(rows.length > 3);
    assert.deepEqual(rows, [...rows].sort().reverse(), 'newest first');

    const tomorrow = new Date(server.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    const none = await (await jane.request(`/console/audit?since=${tomorrow}&limit=50`)).text();
    assert.match(none, /No events since that day/);
    const limited = await (await jane.request('/console/audit?limit=50')).text();
    assert.ok([...limited.matchAll(/data-label="When"/g)].length <= 50);
    const bad = await jane.request('/console/audit?since=yesterday&limit=7');
    assert.equal(bad.status, 400);
    const badPage = await bad.text();
    assert.match(textOf(badPage, 'audit-since-error') ?? '', /YYYY-MM-DD/);
    assert.match(textOf(badPage, 'audit-limit-error') ?? '', /how many events/);
  });
});
