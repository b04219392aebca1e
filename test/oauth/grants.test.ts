// The grant registry: the token endpoint, discovery, the token request's parameters and the apps'
// allowed grant types all come from it; an app uses only the grants it is allowed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_GRANT_TYPES } from '../../src/domain/app.ts';
import { tokenRequestSchema } from '../../src/http/oauth-schemas.ts';
import { GRANTS, GRANT_TYPES, grantFor, grantParameters } from '../../src/oauth/grants/index.ts';
import { authorizationServerMetadata } from '../../src/oauth/metadata.ts';
import { RegistrationError, registerApp } from '../../src/platform/apps.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

describe('the grant registry', () => {
  it('lists each grant once, by its type', () => {
    assert.deepEqual(GRANT_TYPES, GRANTS.map((grant) => grant.type));
    assert.equal(new Set(GRANT_TYPES).size, GRANT_TYPES.length);
    for (const grant of GRANTS) assert.equal(grantFor(grant.type), grant);
    assert.equal(grantFor('password'), undefined);
    assert.equal(grantFor('__proto__'), undefined);
  });

  it('holds the default grant types of new apps', () => {
    for (const type of DEFAULT_GRANT_TYPES) assert.ok(grantFor(type), type);
  });

  it('is what discovery announces and what the token request documents', () => {
    assert.deepEqual(authorizationServerMetadata({ issuer: 'https://auth.example', audience: 'https://auth.example/api' }).grant_types_supported, GRANT_TYPES);
    const documented = Object.keys(tokenRequestSchema.shape);
    for (const grant of GRANTS) for (const name of Object.keys(grant.parameters)) assert.ok(documented.includes(name), `${grant.type} reads ${name}`);
    assert.deepEqual(documented.filter((name) => !(name in grantParameters())).sort(), ['client_assertion', 'client_assertion_type', 'client_id', 'client_secret', 'grant_type']);
    assert.match(String((tokenRequestSchema.shape as Record<string, { description?: string }>).code?.description), /^authorization_code: /);
  });
});

forEachStore('allowed grant types', (kind) => {
  let server: TestServer;
  const jane = { tenant: 'acme', username: 'jane', password: PASSWORD };
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  const register = (name: string, grantTypes?: string[]) =>
    registerApp({ tenantId: server.tenant.id, name, redirectUris: [BACKEND_REDIRECT], ...(grantTypes ? { grantTypes } : {}) }, server.ctx);

  it("registers ilert's two unless told otherwise, and refuses none or unknown ones", async () => {
    assert.deepEqual(server.backend.app.grantTypes, ['authorization_code', 'refresh_token']);
    await assert.rejects(register('No grants', []), (error: unknown) => error instanceof RegistrationError && error.field === 'grantTypes' && /at least one/.test(error.message));
    await assert.rejects(register('Passwords', ['authorization_code', 'password']), (error: unknown) => error instanceof RegistrationError && /Unknown grant type password/.test(error.message));
  });

  it('an app without refresh_token gets no refresh token from its code, even with its secret', async () => {
    const { app, clientSecret } = await register('Codes only', ['authorization_code']);
    const code = await new Browserless(server.url).authorizeCode(authorizeQuery({ client_id: app.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile offline_access' }), jane);
    const tokens = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: clientSecret });
    assert.equal(tokens.status, 200);
    assert.equal(typeof tokens.body.access_token, 'string');
    assert.equal(tokens.body.refresh_token, undefined);
    const refresh = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: 'ghr_whatever', client_id: app.clientId, client_secret: clientSecret });
    assert.equal(refresh.status, 400);
    assert.equal(refresh.body.error, 'unauthorized_client');
  });

  it('an app without authorization_code may not start the flow: authorize and the token endpoint say unauthorized_client', async () => {
    const { app, clientSecret } = await register('Refresh only', ['refresh_token']);
    const { location } = await new Browserless(server.url).authorize(authorizeQuery({ client_id: app.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile', state: 's1' }), jane);
    assert.equal(location?.searchParams.get('error'), 'unauthorized_client');
    assert.equal(location?.searchParams.get('state'), 's1');
    const exchange = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code: 'ghc_whatever', client_id: app.clientId, client_secret: clientSecret });
    assert.equal(exchange.status, 400);
    assert.equal(exchange.body.error, 'unauthorized_client');
    assert.equal(exchange.body.code, 'unauthorized_client');
  });

  it('checks the client before its allowed grants: a wrong secret is invalid_client, an unknown grant unsupported_grant_type', async () => {
    const { app } = await register('Codes again', ['authorization_code']);
    const wrong = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: 'ghr_x', client_id: app.clientId, client_secret: 'wrong' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    const unknown = await postForm(tokenUrl(server.url), { grant_type: 'password', client_id: app.clientId });
    assert.equal(unknown.body.error, 'unsupported_grant_type');
  });
});
