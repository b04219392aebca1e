// Polling the token endpoint with a device code (RFC 8628 §3.4–3.5): each answer while the person
// decides, slow_down growing and remembered, tokens once (even when redemptions race), another
// client's code refused, expiry by the test clock, and revoking the connection ending the tokens.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { App } from '../../src/domain/app.ts';
import { allowDeviceGrant, decide, poll, publicDeviceApp, signedInPerson, startDevice } from '../helpers/device-flow.ts';
import { formFields, type Browserless } from '../helpers/browserless.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl, type JsonResponse } from '../helpers/token-client.ts';

const assertError = (response: JsonResponse, error: string) => {
  assert.equal(response.status, 400, response.text);
  assert.equal(response.body.error, error, response.text);
  assert.equal(response.headers.get('cache-control'), 'no-store');
};

const me = async (server: TestServer, accessToken: string) => (await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${accessToken}` } })).status;

forEachStore('device code grant', (kind) => {
  let server: TestServer;
  let app: App;
  let person: Browserless;
  let client: Record<string, string>;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    app = await publicDeviceApp(server);
    client = { client_id: app.clientId };
    person = await signedInPerson(server);
  });
  after(() => server.close());

  const start = (scope = 'profile') => startDevice(server, { ...client, scope });

  it('answers authorization_pending until the person decides, then tokens for that person', async () => {
    const device = await start('profile offline_access');
    assertError(await poll(server, device.device_code, client), 'authorization_pending');
    server.clock.advance(5);
    assertError(await poll(server, device.device_code, client), 'authorization_pending');
    const done = await decide(person, device.user_code, 'allow');
    assert.equal(done.status, 200);
    assert.match(done.html, /Device connected/);
    assert.match(done.html, /Return to your device/);
    server.clock.advance(5);
    const tokens = await poll(server, device.device_code, client);
    assert.equal(tokens.status, 200, tokens.text);
    assert.equal(tokens.body.token_type, 'Bearer');
    assert.equal(tokens.body.scope, 'profile offline_access');
    assert.match(String(tokens.body.refresh_token), /^ghr_/);
    assert.equal(await me(server, String(tokens.body.access_token)), 200);
    // The device's grant is the person's, as a consent would be.
    assert.deepEqual((await server.store.grants.find(server.user.id, app.id))?.scope, 'profile offline_access');
    server.clock.advance(5);
    assertError(await poll(server, device.device_code, client), 'invalid_grant');
  });

  it("rotates a public client's refresh token, per the app's rotation policy", async () => {
    const device = await start('profile');
    await decide(person, device.user_code, 'allow');
    const tokens = await poll(server, device.device_code, client);
    const refreshed = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token), ...client });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.notEqual(refreshed.body.refresh_token, tokens.body.refresh_token);
  });

  it('answers slow_down when polled faster than the interval, growing it by 5 s each time, remembered', async () => {
    const device = await start();
    assertError(await poll(server, device.device_code, client), 'authorization_pending');
    const fast = await poll(server, device.device_code, client);
    assertError(fast, 'slow_down');
    assert.match(String(fast.body.error_description), /10 seconds/);
    server.clock.advance(9);
    const still = await poll(server, device.device_code, client);
    assertError(still, 'slow_down');
    assert.match(String(still.body.error_description), /15 seconds/);
    server.clock.advance(15);
    assertError(await poll(server, device.device_code, client), 'authorization_pending');
    server.clock.advance(14);
    assertError(await poll(server, device.device_code, client), 'slow_down');
  });

  it('answers access_denied once the person denies, and keeps answering it', async () => {
    const denied = await publicDeviceApp(server);
    const own = { client_id: denied.clientId };
    const device = await startDevice(server, { ...own, scope: 'profile' });
    const done = await decide(person, device.user_code, 'deny');
    assert.equal(done.status, 200);
    assert.match(done.html, /Request denied/);
    assertError(await poll(server, device.device_code, own), 'access_denied');
    server.clock.advance(5);
    assertError(await poll(server, device.device_code, own), 'access_denied');
    assert.equal(await server.store.grants.find(server.user.id, denied.id), undefined, 'no grant recorded');
  });

  it('answers expired_token after 10 minutes, approved or not', async () => {
    const waiting = await start();
    const approved = await start();
    await decide(person, approved.user_code, 'allow');
    server.clock.advance(600);
    assertError(await poll(server, waiting.device_code, client), 'expired_token');
    assertError(await poll(server, approved.device_code, client), 'expired_token');
  });

  it('refuses an unknown device code, and a code issued to another client, with invalid_grant', async () => {
    assertError(await poll(server, 'ghd_not-a-real-code', client), 'invalid_grant');
    const other = await allowDeviceGrant(server, server.backend.app);
    const device = await start();
    await decide(person, device.user_code, 'allow');
    const stolen = await poll(server, device.device_code, { client_id: other.clientId, client_secret: server.backend.clientSecret });
    assertError(stolen, 'invalid_grant');
    assert.match(String(stolen.body.error_description), /another client/);
    // The rightful device still gets its tokens.
    assert.equal((await poll(server, device.device_code, client)).status, 200);
  });

  it('needs device_code, and an app allowed the grant', async () => {
    const missing = await poll(server, '', client);
    assertError(missing, 'invalid_request');
    const device = await start();
    const notAllowed = await poll(server, device.device_code, { client_id: server.webapp.clientId });
    assertError(notAllowed, 'unauthorized_client');
  });

  it('yields tokens once when many polls race for an approved code', async () => {
    const device = await start();
    await decide(person, device.user_code, 'allow');
    const answers = await Promise.all(Array.from({ length: 6 }, () => poll(server, device.device_code, client)));
    assert.equal(answers.filter((a) => a.status === 200).length, 1, answers.map((a) => a.text).join('\n'));
    for (const answer of answers.filter((a) => a.status !== 200)) assertError(answer, 'invalid_grant');
  });

  it("lists the device on the connections page; revoking it there ends the device's tokens", async () => {
    const revocable = await publicDeviceApp(server);
    const device = await startDevice(server, { client_id: revocable.clientId, scope: 'profile offline_access' });
    await decide(person, device.user_code, 'allow');
    const tokens = await poll(server, device.device_code, { client_id: revocable.clientId });
    assert.equal(tokens.status, 200, tokens.text);
    const connections = await (await person.request('/console/connections')).text();
    assert.match(connections, new RegExp(revocable.name));
    const confirm = await (await person.request(`/console/connections/${revocable.id}/revoke`)).text();
    const revoked = await person.request(`/console/connections/${revocable.id}/revoke`, { form: formFields(confirm, `/console/connections/${revocable.id}/revoke`) });
    assert.equal(revoked.status, 303);
    assert.equal(await me(server, String(tokens.body.access_token)), 401);
    const refresh = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token), client_id: revocable.clientId });
    assertError(refresh, 'invalid_grant');
  });

  it('answers access_denied when the connection was revoked between approval and the poll', async () => {
    const device = await start();
    await decide(person, device.user_code, 'allow');
    await server.store.families.revokeWhere({ appId: app.id, userId: server.user.id }, 'revoked_by_user', server.clock.now());
    assertError(await poll(server, device.device_code, client), 'access_denied');
  });
});
