// oauth4webapi, an independent and strict OAuth 2.1 client, drives client_credentials against a
// real Gatehouse: discovery lists the grant, clientCredentialsGrantRequest with client_secret_basic
// and client_secret_post, its RFC 9068 token validated as a resource server would
// (validateJwtAccessToken: `typ`, `sub` = the client id, `aud`), and its errors as RFC 6749 §5.2
// says. A rejection here is a server bug.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import type { App } from '../../src/domain/app.ts';
import { setAppDisabled } from '../../src/platform/app-disabling.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';

const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks http on loopback

forEachStore('oauth4webapi client_credentials', (kind) => {
  let server: TestServer;
  let as: oauth.AuthorizationServer;
  let service: { app: App; clientSecret: string };
  before(async () => {
    server = await startTestServer({ store: kind.name });
    const issuer = new URL(server.url);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    service = await registerApp({ tenantId: server.tenant.id, name: 'Interop service', redirectUris: [], grantTypes: ['client_credentials'], serviceScopes: [{ scope: 'source:w' }] }, server.ctx);
  });
  after(() => server.close());

  const client = (): oauth.Client => ({ client_id: service.app.clientId });

  it('discovers the grant and gets a token with client_secret_basic and client_secret_post', async () => {
    assert.ok(as.grant_types_supported?.includes('client_credentials'));
    for (const auth of [oauth.ClientSecretBasic(service.clientSecret), oauth.ClientSecretPost(service.clientSecret)]) {
      const response = await oauth.clientCredentialsGrantRequest(as, client(), auth, new URLSearchParams({ scope: 'source' }), insecure);
      const tokens = await oauth.processClientCredentialsResponse(as, client(), response);
      assert.equal(tokens.token_type, 'bearer');
      assert.equal(tokens.scope, 'source');
      assert.equal(tokens.refresh_token, undefined);
      assert.equal(tokens.expires_in, 3600);
    }
  });

  it('issues an RFC 9068 token a resource server validates: sub is the client id, aud the API', async () => {
    const response = await oauth.clientCredentialsGrantRequest(as, client(), oauth.ClientSecretBasic(service.clientSecret), new URLSearchParams(), insecure);
    const tokens = await oauth.processClientCredentialsResponse(as, client(), response);
    const request = new Request(`${server.url}/api/alert-sources`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const claims = await oauth.validateJwtAccessToken(as, request, `${server.url}/api`, insecure);
    assert.equal(claims.sub, service.app.clientId);
    assert.equal(claims.client_id, service.app.clientId);
    assert.equal(claims.scope, 'source:w');
    assert.equal((await fetch(request)).status, 200);
  });

  it('gets the RFC errors: invalid_scope beyond the service scopes, invalid_client (with its Basic challenge) once disabled', async () => {
    const beyond = await oauth.clientCredentialsGrantRequest(as, client(), oauth.ClientSecretBasic(service.clientSecret), new URLSearchParams({ scope: 'source:d' }), insecure);
    await assert.rejects(oauth.processClientCredentialsResponse(as, client(), beyond), (error: unknown) => error instanceof oauth.ResponseBodyError && error.error === 'invalid_scope');
    await setAppDisabled(service.app, true, {}, server.ctx);
    const disabled = await oauth.clientCredentialsGrantRequest(as, client(), oauth.ClientSecretBasic(service.clientSecret), new URLSearchParams(), insecure);
    // A 401 to HTTP Basic carries its challenge (RFC 6749 §5.2), which oauth4webapi reports as such.
    const refusal = await oauth.processClientCredentialsResponse(as, client(), disabled).then(
      () => assert.fail('a disabled app gets no token'),
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof oauth.WWWAuthenticateChallengeError);
    assert.equal(refusal.status, 401);
    assert.equal(refusal.cause[0]?.scheme, 'basic');
    assert.equal(((await refusal.response.json()) as { error: string }).error, 'invalid_client');
  });
});
