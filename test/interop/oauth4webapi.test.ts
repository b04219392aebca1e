// oauth4webapi, an independent and strict OAuth 2.1 client, against a real Gatehouse: discovery,
// authorization code with PKCE (public and confidential), the authorization response checks
// (state, iss), refresh, introspection and revocation. A rejection here is a server bug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { registerResource } from '../../src/platform/resources.ts';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';

const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks http on loopback

describe('oauth4webapi', () => {
  let server: TestServer;
  let as: oauth.AuthorizationServer;
  before(async () => {
    server = await startTestServer();
    const issuer = new URL(server.url);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  });
  after(() => server.close());

  /** Signs jane in on the real pages and returns the callback URL the browser would land on. */
  async function authorize(clientId: string, redirectUri: string, scope: string, state: string, challenge: string): Promise<URL> {
    const url = new URL(String(as.authorization_endpoint));
    url.search = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope, state, code_challenge: challenge, code_challenge_method: 'S256' }).toString();
    const { location } = await new Browserless(server.url).authorize(url.search.slice(1), { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.ok(location, 'redirected back');
    return location;
  }

  it('runs the public-client flow with PKCE, refresh and revocation', async () => {
    const client: oauth.Client = { client_id: server.webapp.clientId, token_endpoint_auth_method: 'none' };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const callback = await authorize(client.client_id, WEBAPP_REDIRECT, 'profile offline_access', state, await oauth.calculatePKCECodeChallenge(verifier));
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, WEBAPP_REDIRECT, verifier, insecure),
    );
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.scope, 'profile offline_access');
    assert.ok(tokens.refresh_token);

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token, insecure));
    assert.ok(refreshed.access_token);
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'a public client gets a rotated refresh token');

    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, oauth.None(), refreshed.refresh_token, insecure));
    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    assert.equal(me.status, 401, 'revoking the refresh token ended its access tokens');
  });

  it('runs the confidential-client flow with client_secret_basic and introspects the tokens', async () => {
    const client: oauth.Client = { client_id: server.backend.clientId };
    const auth = oauth.ClientSecretBasic(server.backend.clientSecret);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const callback = await authorize(client.client_id, BACKEND_REDIRECT, 'profile source:w', state, await oauth.calculatePKCECodeChallenge(verifier));
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, auth, params, BACKEND_REDIRECT, verifier, insecure));
    assert.ok(tokens.refresh_token);

    const introspection = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, tokens.access_token, insecure));
    assert.equal(introspection.active, true);
    assert.equal(introspection.scope, 'profile source:w');
    assert.equal(introspection.client_id, client.client_id);

    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token, insecure));
    assert.equal(refreshed.refresh_token, tokens.refresh_token, 'a confidential client keeps its refresh token');
  });

  it('sends `resource` (RFC 8707) at authorize, token and refresh, and validates the token as the resource would (RFC 9068)', async () => {
    const notes = 'https://notes.example.com/api';
    await registerResource({ identifier: notes, name: 'Notes', scopes: [{ kind: 'family', name: 'notes', noun: 'Notes' }] }, {}, server.ctx);
    const client: oauth.Client = { client_id: server.webapp.clientId, token_endpoint_auth_method: 'none' };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(String(as.authorization_endpoint));
    url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: WEBAPP_REDIRECT, response_type: 'code', scope: 'notes:w offline_access', state, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', resource: notes }).toString();
    const { location } = await new Browserless(server.url).authorize(url.search.slice(1), { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.ok(location);
    const params = oauth.validateAuthResponse(as, client, location, state);
    const options = { ...insecure, additionalParameters: { resource: notes } };
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, WEBAPP_REDIRECT, verifier, options));
    assert.equal(tokens.scope, 'notes:w offline_access');
    const request = (token: string) => new Request(`${notes}/notes`, { headers: { authorization: `Bearer ${token}` } });
    const claims = await oauth.validateJwtAccessToken(as, request(tokens.access_token), notes, insecure);
    assert.equal(claims.aud, notes);
    assert.equal(claims.scope, 'notes:w offline_access');
    await assert.rejects(oauth.validateJwtAccessToken(as, request(tokens.access_token), `${server.url}/api`, insecure), 'not a token for the built-in API');

    assert.ok(tokens.refresh_token);
    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token, options));
    assert.equal((await oauth.validateJwtAccessToken(as, request(refreshed.access_token), notes, insecure)).aud, notes);
  });

  it('rejects an authorization response for another state, and surfaces a denial as an error', async () => {
    const client: oauth.Client = { client_id: server.webapp.clientId, token_endpoint_auth_method: 'none' };
    const verifier = oauth.generateRandomCodeVerifier();
    const callback = await authorize(client.client_id, WEBAPP_REDIRECT, 'profile', 'the-state', await oauth.calculatePKCECodeChallenge(verifier));
    assert.throws(() => oauth.validateAuthResponse(as, client, callback, 'another-state'));
    const denied = new URL(WEBAPP_REDIRECT);
    denied.search = new URLSearchParams({ error: 'access_denied', error_description: 'The user denied the request', state: 's', iss: server.url }).toString();
    assert.throws(() => oauth.validateAuthResponse(as, client, denied, 's'), (error: unknown) => error instanceof oauth.AuthorizationResponseError && error.error === 'access_denied');
  });
});
