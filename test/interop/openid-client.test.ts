// openid-client (v6, the most used certified relying-party library) against a real Gatehouse:
// RFC 8414 discovery, authorization code with PKCE (public and confidential), its state and iss
// checks, refresh, introspection and revocation. A rejection here is a server bug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';

describe('openid-client', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  /** Discovers the server as a plain OAuth 2 issuer; the test server speaks http on loopback. */
  function discover(clientId: string, auth: client.ClientAuth): Promise<client.Configuration> {
    return client.discovery(new URL(server.url), clientId, undefined, auth, { algorithm: 'oauth2', execute: [client.allowInsecureRequests] });
  }

  /** Signs jane in on the real pages and returns the callback URL the browser would land on. */
  async function authorize(config: client.Configuration, redirectUri: string, scope: string, state: string, verifier: string): Promise<URL> {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope,
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const { location } = await new Browserless(server.url).authorize(url.search.slice(1), { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.ok(location, 'redirected back');
    return location;
  }

  async function currentUser(accessToken: string): Promise<Response> {
    return fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${accessToken}` } });
  }

  it('discovers the endpoints from the issuer', async () => {
    const config = await discover(server.webapp.clientId, client.None());
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, server.url);
    assert.equal(metadata.revocation_endpoint, `${server.url}/api/developers/oauth2/revoke`);
    assert.equal(metadata.introspection_endpoint, `${server.url}/oauth2/introspect`);
    assert.ok(metadata.supportsPKCE('S256'));
  });

  it('runs the public-client flow with PKCE, refresh and revocation', async () => {
    const config = await discover(server.webapp.clientId, client.None());
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const callback = await authorize(config, WEBAPP_REDIRECT, 'profile offline_access', state, verifier);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.scope, 'profile offline_access');
    assert.ok(tokens.refresh_token);
    assert.ok((tokens.expiresIn() ?? 0) > 0);

    const me = await client.fetchProtectedResource(config, tokens.access_token, new URL(`${server.url}/api/users/current`), 'GET');
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { username: string }).username, 'jane');

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'a public client gets a rotated refresh token');
    assert.equal((await currentUser(refreshed.access_token)).status, 200);

    await client.tokenRevocation(config, refreshed.refresh_token);
    assert.equal((await currentUser(refreshed.access_token)).status, 401, 'revoking the refresh token ended its access tokens');
    await assert.rejects(client.refreshTokenGrant(config, refreshed.refresh_token), (error: unknown) => error instanceof client.ResponseBodyError && error.error === 'invalid_grant');
  });

  it('runs the confidential-client flow with client_secret_basic, introspection and refresh', async () => {
    const config = await discover(server.backend.clientId, client.ClientSecretBasic(server.backend.clientSecret));
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const callback = await authorize(config, BACKEND_REDIRECT, 'profile offline_access', state, verifier);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    assert.ok(tokens.refresh_token);

    const introspection = await client.tokenIntrospection(config, tokens.access_token);
    assert.equal(introspection.active, true);
    assert.equal(introspection.scope, 'profile offline_access');
    assert.equal(introspection.client_id, server.backend.clientId);
    assert.equal((await client.tokenIntrospection(config, tokens.refresh_token)).active, true);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.equal(refreshed.refresh_token, tokens.refresh_token, 'a confidential client keeps its refresh token');
    const me = await currentUser(refreshed.access_token);
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { username: string }).username, 'jane');

    await client.tokenRevocation(config, refreshed.access_token);
    assert.equal((await client.tokenIntrospection(config, refreshed.access_token)).active, false);
    assert.equal((await currentUser(refreshed.access_token)).status, 401);
  });

  /** openid-client wraps the failed callback check; its cause names the parameter. */
  const rejected = (parameter: string) => (error: unknown) =>
    error instanceof client.ClientError && error.cause instanceof Error && error.cause.message.includes(`"${parameter}"`);

  it('rejects a callback with another state or another issuer, and surfaces a denial', async () => {
    const config = await discover(server.webapp.clientId, client.None());
    const verifier = client.randomPKCECodeVerifier();
    const callback = await authorize(config, WEBAPP_REDIRECT, 'profile', 'the-state', verifier);
    assert.equal(callback.searchParams.get('iss'), server.url);
    await assert.rejects(client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'another-state' }), rejected('state'));

    const forged = new URL(callback);
    forged.searchParams.set('iss', 'http://localhost:1');
    await assert.rejects(client.authorizationCodeGrant(config, forged, { pkceCodeVerifier: verifier, expectedState: 'the-state' }), rejected('iss'));

    const denied = new URL(WEBAPP_REDIRECT);
    denied.search = new URLSearchParams({ error: 'access_denied', error_description: 'The user denied the request', state: 's', iss: server.url }).toString();
    await assert.rejects(
      client.authorizationCodeGrant(config, denied, { pkceCodeVerifier: verifier, expectedState: 's' }),
      (error: unknown) => error instanceof client.AuthorizationResponseError && error.error === 'access_denied',
    );
  });
});
