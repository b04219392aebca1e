// oauth4webapi's own private_key_jwt client authentication (PrivateKeyJwt) against a real
// Gatehouse: discovery says it is supported, and a client with a registered JWKS, and one with a
// jwks_uri served on loopback, redeem a code, refresh and introspect with signed assertions only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import type { App } from '../../src/domain/app.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { Browserless } from '../helpers/browserless.ts';
import { clientKey, serveJwks, type ClientKey, type JwksServer } from '../helpers/client-keys.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';

const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks http on loopback

describe('oauth4webapi with private_key_jwt', () => {
  let server: TestServer;
  let as: oauth.AuthorizationServer;
  let jwksServer: JwksServer;
  before(async () => {
    server = await startTestServer();
    const issuer = new URL(server.url);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  });
  after(async () => {
    await server.close();
    await jwksServer?.close();
  });

  async function codeFor(client: oauth.Client, verifier: string): Promise<URLSearchParams> {
    const state = oauth.generateRandomState();
    const query = new URLSearchParams({ client_id: client.client_id, redirect_uri: BACKEND_REDIRECT, response_type: 'code', scope: 'profile source:w', state, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const { location } = await new Browserless(server.url).authorize(query.toString(), { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.ok(location, 'redirected back');
    return oauth.validateAuthResponse(as, client, location, state);
  }

  async function runFlow(app: App, key: ClientKey): Promise<void> {
    const client: oauth.Client = { client_id: app.clientId, token_endpoint_auth_method: 'private_key_jwt' };
    const auth = oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid });
    const verifier = oauth.generateRandomCodeVerifier();
    const params = await codeFor(client, verifier);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, auth, params, BACKEND_REDIRECT, verifier, insecure));
    assert.equal(tokens.scope, 'profile source:w');
    assert.ok(tokens.refresh_token, 'a client that proved itself with its key gets a refresh token');

    const introspection = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, tokens.access_token, insecure));
    assert.equal(introspection.active, true);
    assert.equal(introspection.client_id, app.clientId);

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token, insecure));
    assert.ok(refreshed.access_token);
    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    assert.equal(me.status, 200);

    // Without the key: oauth4webapi's None() sends client_id alone, which this app may not do.
    const bare = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshed.refresh_token ?? tokens.refresh_token, insecure);
    assert.equal(bare.status, 401);
  }

  it('discovery lists private_key_jwt and its algorithms', () => {
    assert.ok(as.token_endpoint_auth_methods_supported?.includes('private_key_jwt'));
    assert.deepEqual(as.token_endpoint_auth_signing_alg_values_supported, ['RS256', 'PS256', 'ES256', 'EdDSA']);
    assert.ok(as.introspection_endpoint_auth_methods_supported?.includes('private_key_jwt'));
  });

  it('authenticates a client with a registered JWKS (ES256): code, introspection, refresh', async () => {
    const key = await clientKey('ES256');
    const { app } = await registerApp({ tenantId: server.tenant.id, name: 'Signed backend', redirectUris: [BACKEND_REDIRECT], tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [key.publicJwk as Record<string, unknown>] } }, server.ctx);
    await runFlow(app, key);
  });

  it('authenticates a client whose keys are at a jwks_uri (RS256)', async () => {
    const key = await clientKey('RS256');
    jwksServer = await serveJwks([key.publicJwk]);
    const { app } = await registerApp({ tenantId: server.tenant.id, name: 'Published keys', redirectUris: [BACKEND_REDIRECT], tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: jwksServer.url }, server.ctx);
    await runFlow(app, key);
    assert.equal(jwksServer.fetches, 1, 'the published set was fetched once and cached');
  });
});
