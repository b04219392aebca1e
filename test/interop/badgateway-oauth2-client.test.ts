// @badgateway/oauth2-client, a small fetch-based OAuth 2 client, against a real Gatehouse: RFC 8414
// discovery from the server URL, authorization code with PKCE (public and confidential), its state
// check, refresh, introspection and revocation. A rejection here is a server bug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OAuth2Client, OAuth2Error, OAuth2HttpError, generateCodeVerifier, type OAuth2Token } from '@badgateway/oauth2-client';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';

describe('@badgateway/oauth2-client', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  /** Signs jane in on the real pages and returns the callback URL the browser would land on. */
  async function authorize(client: OAuth2Client, redirectUri: string, scope: string[], state: string, codeVerifier: string): Promise<URL> {
    const url = new URL(await client.authorizationCode.getAuthorizeUri({ redirectUri, scope, state, codeVerifier }));
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    const { location } = await new Browserless(server.url).authorize(url.search.slice(1), { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.ok(location, 'redirected back');
    // The library checks state but not iss (RFC 9207), so the app does.
    assert.equal(location.searchParams.get('iss'), server.url);
    return location;
  }

  async function currentUser(token: OAuth2Token): Promise<Response> {
    return fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${token.accessToken}` } });
  }

  it('discovers the endpoints from the server URL', async () => {
    const client = new OAuth2Client({ server: server.url, clientId: server.webapp.clientId });
    assert.equal(await client.getEndpoint('authorizationEndpoint'), `${server.url}/api/developers/oauth2/authorize`);
    assert.equal(await client.getEndpoint('tokenEndpoint'), `${server.url}/api/developers/oauth2/token`);
    assert.equal(await client.getEndpoint('revocationEndpoint'), `${server.url}/api/developers/oauth2/revoke`);
    assert.equal(await client.getEndpoint('introspectionEndpoint'), `${server.url}/oauth2/introspect`);
  });

  it('runs the public-client flow with PKCE, refresh and revocation', async () => {
    const client = new OAuth2Client({ server: server.url, clientId: server.webapp.clientId });
    const codeVerifier = await generateCodeVerifier();
    const state = crypto.randomUUID();
    const callback = await authorize(client, WEBAPP_REDIRECT, ['profile', 'offline_access'], state, codeVerifier);
    const token = await client.authorizationCode.getTokenFromCodeRedirect(callback, { redirectUri: WEBAPP_REDIRECT, state, codeVerifier });
    assert.deepEqual(token.scope, ['profile', 'offline_access']);
    assert.ok(token.refreshToken);
    assert.ok(token.expiresAt && token.expiresAt > Date.now());
    const me = await currentUser(token);
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { username: string }).username, 'jane');

    const refreshed = await client.refreshToken(token);
    assert.ok(refreshed.refreshToken && refreshed.refreshToken !== token.refreshToken, 'a public client gets a rotated refresh token');
    assert.equal((await currentUser(refreshed)).status, 200);

    await client.revoke(refreshed, 'refresh_token');
    assert.equal((await currentUser(refreshed)).status, 401, 'revoking the refresh token ended its access tokens');
    await assert.rejects(client.refreshToken(refreshed), (error: unknown) => error instanceof OAuth2HttpError && error.oauth2Code === 'invalid_grant');
  });

  it('runs the confidential-client flow with the discovered client authentication, introspection and refresh', async () => {
    const client = new OAuth2Client({ server: server.url, clientId: server.backend.clientId, clientSecret: server.backend.clientSecret });
    const codeVerifier = await generateCodeVerifier();
    const state = crypto.randomUUID();
    const callback = await authorize(client, BACKEND_REDIRECT, ['profile', 'offline_access'], state, codeVerifier);
    const token = await client.authorizationCode.getTokenFromCodeRedirect(callback, { redirectUri: BACKEND_REDIRECT, state, codeVerifier });
    assert.ok(token.refreshToken);
    // Discovery lists client_secret_basic first, so the library picked it over client_secret_post.
    assert.equal(client.settings.authenticationMethod, 'client_secret_basic');

    const introspection = await client.introspect(token);
    assert.equal(introspection.active, true);
    assert.equal(introspection.scope, 'profile offline_access');
    assert.equal(introspection.client_id, server.backend.clientId);

    const refreshed = await client.refreshToken(token);
    assert.equal(refreshed.refreshToken, token.refreshToken, 'a confidential client keeps its refresh token');
    const me = await currentUser(refreshed);
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { username: string }).username, 'jane');

    await client.revoke(refreshed);
    assert.equal((await client.introspect(refreshed)).active, false);
    assert.equal((await currentUser(refreshed)).status, 401);
  });

  it('rejects a callback with another state, and surfaces a denial as an error', async () => {
    const client = new OAuth2Client({ server: server.url, clientId: server.webapp.clientId });
    const codeVerifier = await generateCodeVerifier();
    const callback = await authorize(client, WEBAPP_REDIRECT, ['profile'], 'the-state', codeVerifier);
    assert.throws(() => client.authorizationCode.validateResponse(callback, { state: 'another-state' }), /"state" parameter/);

    const denied = new URL(WEBAPP_REDIRECT);
    denied.search = new URLSearchParams({ error: 'access_denied', error_description: 'The user denied the request', state: 's', iss: server.url }).toString();
    assert.throws(
      () => client.authorizationCode.validateResponse(denied, { state: 's' }),
      (error: unknown) => error instanceof OAuth2Error && error.oauth2Code === 'access_denied',
    );
  });
});
