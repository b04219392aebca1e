// Housekeeping deletes self-registered clients that got no token for
// GATEHOUSE_REGISTRATION_PURGE_DAYS, on SQLite and PostgreSQL, with what they were issued; clients
// used within that time, and console apps however old, stay; 0 days purges nothing.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startHousekeeping } from '../../src/platform/housekeeping.ts';
import { register, signInWithPublicClient, type Registered } from '../helpers/registration.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

const jane = { tenant: 'acme', username: 'jane', password: PASSWORD };
const REDIRECT = 'http://127.0.0.1/callback';
const quiet = { info: () => undefined, debug: () => undefined, warn: (details: object) => assert.fail(JSON.stringify(details)) };
const DAY = 86_400;

forEachStore('purging unused self-registered clients', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name, config: { registration: 'open', registrationPurgeDays: 30 } });
  });
  after(() => server.close());

  const newClient = async (name: string) => (await register(server.url, { client_name: name, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] })).body as Registered;
  const purge = () => startHousekeeping(server.ctx, quiet, { intervalSeconds: 0 }).runNow();
  const exists = async (client: Registered) => (await server.store.apps.byClientId(client.client_id)) !== undefined;

  it('deletes clients unused for the set days, with their tokens, and keeps the others', async () => {
    const neverUsed = await newClient('never used');
    const usedEarly = await newClient('used early');
    const usedLater = await newClient('used later');
    const early = await signInWithPublicClient(server.url, usedEarly.client_id, REDIRECT, jane);
    assert.equal(early.status, 200, early.text);

    server.clock.advance(20 * DAY);
    const later = await signInWithPublicClient(server.url, usedLater.client_id, REDIRECT, jane);
    assert.equal(later.status, 200, later.text);
    await purge();
    assert.ok((await exists(neverUsed)) && (await exists(usedEarly)) && (await exists(usedLater)), 'nobody is 30 days unused yet');

    server.clock.advance(11 * DAY);
    await purge();
    assert.equal(await exists(neverUsed), false, 'registered 31 days ago, never used');
    assert.equal(await exists(usedEarly), false, 'last used 31 days ago');
    assert.equal(await exists(usedLater), true, 'used 11 days ago');
    assert.ok(await server.store.apps.byClientId(server.webapp.clientId), 'console apps are never purged');
    const refresh = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', client_id: usedEarly.client_id, refresh_token: String(early.body.refresh_token) });
    assert.equal(refresh.status, 401, 'the purged client is gone, and its refresh token with it');
    const events = await server.store.audit.list({ limit: 20 });
    assert.ok(events.some((e) => e.type === 'app_deleted' && /purged: unused for 30 days/.test(e.detail)), 'the purge is audited');

    // A refresh is a use too.
    server.clock.advance(25 * DAY);
    const refreshed = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', client_id: usedLater.client_id, refresh_token: String(later.body.refresh_token) });
    assert.equal(refreshed.status, 200, refreshed.text);
    server.clock.advance(25 * DAY);
    await purge();
    assert.equal(await exists(usedLater), true, 'refreshed 25 days ago');
  });

  it('purges nothing with 0 days', async () => {
    const old = await newClient('old');
    server.clock.advance(400 * DAY);
    const ctx = { ...server.ctx, registration: { policy: 'open' as const, purgeDays: 0 } };
    await startHousekeeping(ctx, quiet, { intervalSeconds: 0 }).runNow();
    assert.equal(await exists(old), true);
  });
});
