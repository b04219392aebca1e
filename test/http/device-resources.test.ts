// The device flow with resource indicators (RFC 8707): the request names the APIs, the confirm
// page groups the scopes by API, and the token's audience is the resource the poll names (one
// the request asked for), as with an authorization code.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { registerResource } from '../../src/platform/resources.ts';
import { decide, enterCode, poll, publicDeviceApp, signedInPerson } from '../helpers/device-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, postRaw, tokenUrl } from '../helpers/token-client.ts';

const NOTES = 'https://notes.example.com/api';
const BILLING = 'https://billing.example.com';
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

forEachStore('device flow with resources (RFC 8707)', (kind) => {
  let server: TestServer;
  let client: Record<string, string>;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    await registerResource({ identifier: NOTES, name: 'Notes', scopes: [{ kind: 'family', name: 'notes', noun: 'Notes' }] }, {}, server.ctx);
    await registerResource({ identifier: BILLING, name: 'Billing', scopes: [{ kind: 'family', name: 'invoices', noun: 'Invoices' }] }, {}, server.ctx);
    client = { client_id: (await publicDeviceApp(server)).clientId };
  });
  after(() => server.close());

  /** A device authorization request naming these resources. */
  async function start(scope: string, resources: string[]) {
    const body = new URLSearchParams({ ...client, scope });
    for (const resource of resources) body.append('resource', resource);
    const response = await postRaw(`${server.url}/api/developers/oauth2/device_authorization`, body.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(response.status, 200, response.text);
    return response.body as { device_code: string; user_code: string };
  }

  it('shows the scopes per resource, and mints for the resource the poll names', async () => {
    const device = await start('profile notes:w offline_access', [`${server.url}/api`, NOTES]);
    const person = await signedInPerson(server);
    const confirm = await enterCode(person, device.user_code);
    assert.match(confirm.html, /On <strong>Notes<\/strong> <span class="muted small">https:\/\/notes\.example\.com\/api<\/span>/);
    assert.match(confirm.html, /<strong>Notes<\/strong> in your name/);
    await decide(person, device.user_code, 'allow');

    const wrong = await poll(server, device.device_code, { ...client, resource: BILLING });
    assert.equal(wrong.body.error, 'invalid_target', wrong.text);
    // A refused resource does not spend the code.
    const tokens = await poll(server, device.device_code, { ...client, resource: NOTES });
    assert.equal(tokens.status, 200, tokens.text);
    const claims = claimsOf(String(tokens.body.access_token));
    assert.equal(claims.aud, NOTES);
    assert.equal(tokens.body.scope, 'notes:w offline_access');

    const builtIn = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token), resource: `${server.url}/api`, ...client });
    assert.equal(builtIn.status, 200, builtIn.text);
    assert.equal(claimsOf(String(builtIn.body.access_token)).aud, `${server.url}/api`);
    assert.equal(builtIn.body.scope, 'profile offline_access');
  });

  it("without resource: the app's default resource, the built-in API", async () => {
    const device = await start('profile', []);
    await decide(await signedInPerson(server), device.user_code, 'allow');
    const tokens = await poll(server, device.device_code, client);
    assert.equal(claimsOf(String(tokens.body.access_token)).aud, `${server.url}/api`);
  });

  it('refuses a scope no named resource defines', async () => {
    const response = await postRaw(`${server.url}/api/developers/oauth2/device_authorization`, new URLSearchParams([['client_id', client.client_id ?? ''], ['scope', 'invoices'], ['resource', NOTES]]).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(response.body.error, 'invalid_scope', response.text);
  });
});
