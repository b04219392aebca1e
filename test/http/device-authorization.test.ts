// The device authorization endpoint (RFC 8628 §3.1–3.2) over HTTP: what it answers, how clients
// authenticate (as at the token endpoint), and the errors of bad requests, none a 500.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { DEVICE_CODE_GRANT_TYPE } from '../../src/oauth/grants/device-code.ts';
import { allowDeviceGrant, deviceAuthorizationUrl, publicDeviceApp } from '../helpers/device-flow.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, postRaw, type JsonResponse } from '../helpers/token-client.ts';

function assertOAuthError(response: JsonResponse, status: number, error: string): void {
  assert.equal(response.status, status, response.text);
  assert.equal(response.body.error, error, response.text);
  assert.equal(response.body.code, error);
  assert.equal(typeof response.body.error_description, 'string');
  assert.equal(response.headers.get('cache-control'), 'no-store');
}

forEachStore('device authorization endpoint', (kind) => {
  let server: TestServer;
  let url: string;
  let publicClientId: string;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    url = deviceAuthorizationUrl(server.url);
    await allowDeviceGrant(server, server.backend.app);
    publicClientId = (await publicDeviceApp(server)).clientId;
  });
  after(() => server.close());

  it('answers a public client with a device code, a user code and where to enter it', async () => {
    const response = await postForm(url, { client_id: publicClientId, scope: 'profile offline_access' });
    assert.equal(response.status, 200, response.text);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    const body = response.body;
    assert.deepEqual(Object.keys(body).sort(), ['device_code', 'expires_in', 'interval', 'user_code', 'verification_uri', 'verification_uri_complete']);
    assert.match(String(body.device_code), /^ghd_[A-Za-z0-9_-]{43}$/);
    assert.match(String(body.user_code), /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    assert.equal(body.verification_uri, `${server.url}/device`);
    assert.equal(body.verification_uri_complete, `${server.url}/device?user_code=${String(body.user_code)}`);
    assert.equal(body.expires_in, 600);
    assert.equal(body.interval, 5);
  });

  it('takes a JSON body, and gives every request its own codes', async () => {
    const first = await postRaw(url, JSON.stringify({ client_id: publicClientId, scope: 'profile' }), { 'content-type': 'application/json' });
    const second = await postRaw(url, JSON.stringify({ client_id: publicClientId, scope: 'profile' }), { 'content-type': 'application/json' });
    assert.equal(first.status, 200, first.text);
    assert.notEqual(first.body.device_code, second.body.device_code);
    assert.notEqual(first.body.user_code, second.body.user_code);
  });

  it('authenticates a confidential client by Basic or by the body, as the token endpoint does', async () => {
    const { clientId, clientSecret } = server.backend;
    const basic = await postForm(url, { scope: 'profile' }, { authorization: basicAuth(clientId, clientSecret) });
    assert.equal(basic.status, 200, basic.text);
    const body = await postForm(url, { client_id: clientId, client_secret: clientSecret, scope: 'profile' });
    assert.equal(body.status, 200, body.text);
  });

  it('refuses wrong credentials and unknown clients with 401 invalid_client', async () => {
    const wrong = await postForm(url, { scope: 'profile' }, { authorization: basicAuth(server.backend.clientId, 'f'.repeat(64)) });
    assertOAuthError(wrong, 401, 'invalid_client');
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic/);
    assertOAuthError(await postForm(url, { client_id: '0'.repeat(20), scope: 'profile' }), 401, 'invalid_client');
    assertOAuthError(await postForm(url, { scope: 'profile' }), 400, 'invalid_request');
  });

  it('refuses an app not allowed the device grant with unauthorized_client', async () => {
    const response = await postForm(url, { client_id: server.webapp.clientId, scope: 'profile' });
    assertOAuthError(response, 400, 'unauthorized_client');
    assert.match(String(response.body.error_description), new RegExp(DEVICE_CODE_GRANT_TYPE));
  });

  it('needs a known scope, as the authorization endpoint does', async () => {
    assertOAuthError(await postForm(url, { client_id: publicClientId }), 400, 'invalid_scope');
    const unknown = await postForm(url, { client_id: publicClientId, scope: 'profile teleport' });
    assertOAuthError(unknown, 400, 'invalid_scope');
    assert.match(String(unknown.body.error_description), /teleport/);
  });

  it('reads resource as at authorize (RFC 8707): the built-in API by name, unknown ones refused', async () => {
    const named = await postRaw(url, new URLSearchParams([['client_id', publicClientId], ['scope', 'profile'], ['resource', `${server.url}/api`]]).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(named.status, 200, named.text);
    assertOAuthError(await postForm(url, { client_id: publicClientId, scope: 'profile', resource: 'https://nowhere.example/api' }), 400, 'invalid_target');
    assertOAuthError(await postForm(url, { client_id: publicClientId, scope: 'profile', resource: 'not a uri' }), 400, 'invalid_target');
  });

  it('answers hostile input with an OAuth error, never a 500', async () => {
    assertOAuthError(await postRaw(url, `client_id=${publicClientId}&scope=profile&scope=profile`, { 'content-type': 'application/x-www-form-urlencoded' }), 400, 'invalid_request');
    assertOAuthError(await postRaw(url, JSON.stringify({ client_id: publicClientId, scope: ['profile'] }), { 'content-type': 'application/json' }), 400, 'invalid_request');
    assertOAuthError(await postForm(url, { client_id: publicClientId, scope: 'x'.repeat(5000) }), 400, 'invalid_request');
    const broken = await postRaw(url, '{"client_id":', { 'content-type': 'application/json' });
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error, 'invalid_request');
  });

  it('answers CORS preflights as the token endpoint does', async () => {
    const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: 'https://cli.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    assert.ok(preflight.status === 204 || preflight.status === 200, String(preflight.status));
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  it('is in the discovery document, with the grant type', async () => {
    const metadata = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    assert.equal(metadata.device_authorization_endpoint, url);
    assert.ok((metadata.grant_types_supported as string[]).includes(DEVICE_CODE_GRANT_TYPE));
  });
});
