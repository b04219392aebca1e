// client_credentials (RFC 6749 §4.4) over HTTP: a confidential app of an account gets a token for
// itself, within its service scopes, for its default resource or the one it names, with no
// refresh token; the token acts for the account in the built-in API, and token_info and
// introspection describe it as the app's.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { App } from '../../src/domain/app.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { registerResource } from '../../src/platform/resources.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';

const NOTES = 'https://notes.example.com/api';
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

forEachStore('client_credentials', (kind) => {
  let server: TestServer;
  let service: { app: App; clientSecret: string };
  let notesId: number;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    const notes = await registerResource(
      { identifier: NOTES, name: 'Notes', scopes: [{ kind: 'family', name: 'notes', noun: 'Notes' }, { kind: 'plain', name: 'notes.export', description: 'Export notes' }], accessTokenLifetime: 600 },
      {},
      server.ctx,
    );
    notesId = notes.resource.id;
    service = await registerApp(
      {
        tenantId: server.tenant.id,
        name: 'Nightly sync',
        redirectUris: [],
        grantTypes: ['client_credentials'],
        serviceScopes: [{ scope: 'profile source:w' }, { resource: NOTES, scope: 'notes' }],
      },
      server.ctx,
    );
  });
  after(() => server.close());

  const asService = (form: Record<string, string> = {}, app = service) =>
    postForm(tokenUrl(server.url), { grant_type: 'client_credentials', ...form }, { authorization: basicAuth(app.app.clientId, app.clientSecret) });
  const api = (path: string, token: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });

  it('answers HTTP Basic with an access token for the app itself: all its service scopes, no refresh token', async () => {
    const response = await asService();
    assert.equal(response.status, 200, response.text);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(response.body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    assert.equal(response.body.token_type, 'Bearer');
    assert.equal(response.body.scope, 'profile source:w');
    assert.equal(response.body.expires_in, 3600);
    const claims = claimsOf(String(response.body.access_token));
    assert.equal(claims.sub, service.app.clientId);
    assert.equal(claims.client_id, service.app.clientId);
    assert.equal(claims.tenant, 'acme');
    assert.equal(claims.aud, `${server.url}/api`);
    assert.equal(claims.username, undefined);
  });

  it('takes the secret in the body too (client_secret_post)', async () => {
    const response = await postForm(tokenUrl(server.url), { grant_type: 'client_credentials', client_id: service.app.clientId, client_secret: service.clientSecret, scope: 'source' });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.scope, 'source');
    assert.equal(response.body.refresh_token, undefined);
  });

  it('acts for the owner account in the built-in API; /api/users/current says it is no user', async () => {
    const token = String((await asService()).body.access_token);
    const policy = await server.store.escalationPolicies.create(server.tenant.id, 'Service policy');
    const created = await api('/api/alert-sources', token, { method: 'POST', body: JSON.stringify({ name: 'From the service', integrationType: 'API', escalationPolicy: { id: policy.id } }) });
    assert.equal(created.status, 201);
    const listed = (await (await api('/api/alert-sources', token)).json()) as { name: string }[];
    assert.ok(listed.some((source) => source.name === 'From the service'));
    const current = await api('/api/users/current', token);
    assert.equal(current.status, 403);
    const body = (await current.json()) as { code: string; message: string };
    assert.equal(body.code, 'NOT_A_USER');
    assert.match(body.message, /app|client/i);
  });

  it('token_info and introspection describe the token as the app\'s', async () => {
    const token = String((await asService({ scope: 'source' })).body.access_token);
    const info = await postForm(tokenInfoUrl(server.url), { token });
    assert.deepEqual(info.body, { active: true, tenant_id: 'acme', client_id: service.app.clientId, scope: 'source', app_id: service.app.id, aud: `${server.url}/api` });
    const described = await postForm(`${server.url}/oauth2/introspect`, { token }, { authorization: basicAuth(service.app.clientId, service.clientSecret) });
    assert.equal(described.body.active, true);
    assert.equal(described.body.sub, service.app.clientId);
    assert.equal(described.body.tenant, 'acme');
    assert.equal('username' in described.body, false);
  });

  it('keeps within the service scopes, reading levels as at authorize', async () => {
    assert.equal((await asService({ scope: 'source:w' })).body.scope, 'source:w');
    assert.equal((await asService({ scope: 'source source:w' })).body.scope, 'source:w', 'of two levels the higher');
    assert.equal((await asService({ scope: 'source' })).body.scope, 'source', 'a lower level of a granted family');
    const beyond = await asService({ scope: 'source:d' });
    assert.equal(beyond.status, 400);
    assert.equal(beyond.body.error, 'invalid_scope');
    assert.match(String(beyond.body.error_description), /source:d/);
    const other = await asService({ scope: 'profile policy' });
    assert.equal(other.body.error, 'invalid_scope');
    assert.match(String(other.body.error_description), /: policy \(/);
    const unknown = await asService({ scope: 'nonsense' });
    assert.equal(unknown.body.error, 'invalid_scope');
    assert.match(String(unknown.body.error_description), /Unknown scope: nonsense/);
    const offline = await asService({ scope: 'source offline_access' });
    assert.equal(offline.body.error, 'invalid_scope');
    assert.match(String(offline.body.error_description), /refresh token/);
  });

  it('issues for the resource it names, or its default; audience and scope are that resource\'s', async () => {
    const notes = await asService({ resource: NOTES });
    assert.equal(notes.status, 200, notes.text);
    assert.equal(notes.body.scope, 'notes');
    assert.equal(notes.body.expires_in, 600);
    assert.equal(claimsOf(String(notes.body.access_token)).aud, NOTES);
    assert.equal((await asService({ resource: NOTES, scope: 'notes:w' })).body.error, 'invalid_scope');
    assert.equal((await asService({ resource: NOTES, scope: 'source' })).body.error, 'invalid_scope', "another resource's scope");
    assert.equal((await asService({ resource: 'https://unknown.example/api' })).body.error, 'invalid_target');
    assert.equal((await asService({ resource: 'not a uri' })).body.error, 'invalid_target');

    const defaulted = await registerApp(
      { tenantId: server.tenant.id, name: 'Notes sync', redirectUris: [], grantTypes: ['client_credentials'], defaultResourceId: notesId, serviceScopes: [{ resource: String(notesId), scope: 'notes.export' }] },
      server.ctx,
    );
    const byDefault = await asService({}, defaulted);
    assert.equal(byDefault.status, 200, byDefault.text);
    assert.equal(claimsOf(String(byDefault.body.access_token)).aud, NOTES);
    assert.equal(byDefault.body.scope, 'notes.export');
    const builtIn = await asService({ resource: `${server.url}/api` }, defaulted);
    assert.equal(builtIn.body.error, 'invalid_target', 'no service scopes for the built-in API');
    assert.match(String(builtIn.body.error_description), /no service scopes for Gatehouse API/);
  });

  it('refuses an app with no service scopes, clearly', async () => {
    const none = await registerApp({ tenantId: server.tenant.id, name: 'Unscoped', redirectUris: [], grantTypes: ['client_credentials'] }, server.ctx);
    const response = await asService({}, none);
    assert.equal(response.status, 400);
    assert.equal(response.body.error, 'invalid_scope');
    assert.match(String(response.body.error_description), /no service scopes/);
  });

  it('refuses clients that do not prove themselves, apps not allowed the grant, public and self-registered clients', async () => {
    const noSecret = await postForm(tokenUrl(server.url), { grant_type: 'client_credentials', client_id: service.app.clientId });
    assert.equal(noSecret.status, 401);
    assert.equal(noSecret.body.error, 'invalid_client');
    const wrong = await postForm(tokenUrl(server.url), { grant_type: 'client_credentials', client_id: service.app.clientId, client_secret: '0'.repeat(64) });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');

    const notAllowed = await postForm(tokenUrl(server.url), { grant_type: 'client_credentials' }, { authorization: basicAuth(server.backend.clientId, server.backend.clientSecret) });
    assert.equal(notAllowed.status, 400);
    assert.equal(notAllowed.body.error, 'unauthorized_client');

    const now = server.clock.now();
    const base = { clientSecretHash: null, description: '', redirectUris: ['https://public.example/cb'], limitToAccount: false, grantTypes: ['client_credentials'], serviceScopes: [{ resourceId: 1, scope: 'source' }] };
    const publicApp = await server.store.apps.create({ ...base, tenantId: server.tenant.id, clientId: 'f'.repeat(20), name: 'Public one', tokenEndpointAuthMethod: 'none' }, now);
    const asPublic = await postForm(tokenUrl(server.url), { grant_type: 'client_credentials', client_id: publicApp.clientId });
    assert.equal(asPublic.body.error, 'unauthorized_client');
    assert.match(String(asPublic.body.error_description), /confidential/);
    const selfRegistered = await server.store.apps.create({ ...base, tenantId: null, clientId: 'e'.repeat(20), name: 'Self registered', registration: 'dynamic' }, now);
    const asSelf = await postForm(tokenUrl(server.url), { grant_type: 'client_credentials', client_id: selfRegistered.clientId });
    assert.equal(asSelf.body.error, 'unauthorized_client');
    assert.match(String(asSelf.body.error_description), /account/);
  });

  it('reuses one family per app and resource, even for concurrent requests: revoking one token stops them all', async () => {
    const app = await registerApp({ tenantId: server.tenant.id, name: 'Parallel', redirectUris: [], grantTypes: ['client_credentials'], serviceScopes: [{ scope: 'source' }] }, server.ctx);
    const answers = await Promise.all(Array.from({ length: 6 }, () => asService({}, app)));
    const tokens = answers.map((answer) => String(answer.body.access_token));
    const families = new Set(tokens.map((token) => claimsOf(token).fid));
    assert.equal(families.size, 1);
    assert.equal((await postForm(`${server.url}/api/developers/oauth2/revoke`, { token: tokens[0] ?? '' })).status, 200);
    for (const token of tokens) assert.equal((await api('/api/alert-sources', token)).status, 401);
    const next = String((await asService({}, app)).body.access_token);
    assert.notEqual(claimsOf(next).fid, [...families][0], 'a new family after the revocation');
    assert.equal((await api('/api/alert-sources', next)).status, 200);
  });

  it('keeps a reused family through housekeeping while a token it minted lives', async () => {
    const app = await registerApp({ tenantId: server.tenant.id, name: 'Long runner', redirectUris: [], grantTypes: ['client_credentials'], serviceScopes: [{ scope: 'source' }] }, server.ctx);
    const first = String((await asService({}, app)).body.access_token);
    server.clock.advance(50 * 60);
    const second = String((await asService({}, app)).body.access_token);
    assert.equal(claimsOf(second).fid, claimsOf(first).fid);
    server.clock.advance(20 * 60);
    await server.store.housekeeping.purge(server.clock.now(), 500, { accessTokenLifetimeSeconds: 3600 });
    assert.equal((await postForm(tokenInfoUrl(server.url), { token: second })).body.active, true, 'the family outlived its creation by more than a lifetime');
    server.clock.advance(41 * 60);
    await server.store.housekeeping.purge(server.clock.now(), 500, { accessTokenLifetimeSeconds: 3600 });
    assert.equal(await server.store.families.byId(String(claimsOf(second).fid)), undefined, 'purged once its last token expired');
  });
});
