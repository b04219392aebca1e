// simple-oauth2, the long-standing Node OAuth 2 client, against a real Gatehouse configured the way
// ilert's docs configure it (host and paths, no discovery): authorization code with PKCE (public and
// confidential), refresh and revocation. It has no introspection and no callback checks of its own.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AuthorizationCode, type AccessToken, type ModuleOptions } from 'simple-oauth2';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';

const paths = { authorizePath: '/api/developers/oauth2/authorize', tokenPath: '/api/developers/oauth2/token', revokePath: '/api/developers/oauth2/revoke' };

/** simple-oauth2 leaves PKCE to the app: a verifier and its S256 challenge (RFC 7636). */
function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('simple-oauth2', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  function oauthClient(client: ModuleOptions['client'], authorizationMethod: 'header' | 'body'): AuthorizationCode {
    return new AuthorizationCode({ client, auth: { tokenHost: server.url, ...paths }, options: { authorizationMethod } });
  }

  /** Runs the authorization request through the real pages and exchanges the code the way the library's docs show. */
  async function signIn(oauth: AuthorizationCode, redirectUri: string, scope: string[]): Promise<AccessToken> {
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(16).toString('base64url');
    // The typings lag the runtime, which passes any extra parameter through (PKCE here).
    const authorizeParams = { redirect_uri: redirectUri, scope, state, code_challenge: challenge, code_challenge_method: 'S256' };
    const url = new URL(oauth.authorizeURL(authorizeParams));
    assert.equal(url.searchParams.get('scope'), scope.join(' '));
    const { location } = await new Browserless(server.url).authorize(url.search.slice(1), { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.ok(location, 'redirected back');
    // The library checks nothing on the callback, so the app checks state and iss (RFC 9207).
    assert.equal(location.searchParams.get('state'), state);
    assert.equal(location.searchParams.get('iss'), server.url);
    const code = location.searchParams.get('code');
    assert.ok(code);
    const tokenParams = { code, redirect_uri: redirectUri, code_verifier: verifier };
    return oauth.getToken(tokenParams);
  }

  async function currentUser(token: AccessToken): Promise<Response> {
    return fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${String(token.token.access_token)}` } });
  }

  async function assertJane(token: AccessToken): Promise<void> {
    const me = await currentUser(token);
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { username: string }).username, 'jane');
  }

  it('runs the public-client flow with PKCE, refresh and revocation', async () => {
    // A public client has no secret; with the body method the library sends only client_id (and an empty secret).
    const oauth = oauthClient({ id: server.webapp.clientId, secret: '' }, 'body');
    const token = await signIn(oauth, WEBAPP_REDIRECT, ['profile', 'offline_access']);
    assert.equal(String(token.token.token_type).toLowerCase(), 'bearer');
    assert.equal(token.token.scope, 'profile offline_access');
    assert.ok(token.token.refresh_token);
    assert.equal(token.expired(), false);
    await assertJane(token);

    const refreshed = await token.refresh();
    assert.ok(refreshed.token.refresh_token && refreshed.token.refresh_token !== token.token.refresh_token, 'a public client gets a rotated refresh token');
    await assertJane(refreshed);

    await refreshed.revoke('refresh_token');
    assert.equal((await currentUser(refreshed)).status, 401, 'revoking the refresh token ended its access tokens');
    await assert.rejects(refreshed.refresh(), (error: unknown) => (error as { data?: { payload?: { error?: string } } }).data?.payload?.error === 'invalid_grant');
  });

  it('runs the confidential-client flow with client_secret_basic, refresh and revocation', async () => {
    const oauth = oauthClient({ id: server.backend.clientId, secret: server.backend.clientSecret }, 'header');
    const token = await signIn(oauth, BACKEND_REDIRECT, ['profile', 'offline_access']);
    assert.ok(token.token.refresh_token);

    const refreshed = await token.refresh();
    assert.equal(refreshed.token.refresh_token, token.token.refresh_token, 'a confidential client keeps its refresh token');
    await assertJane(refreshed);

    await refreshed.revokeAll();
    assert.equal((await currentUser(refreshed)).status, 401);
    await assert.rejects(refreshed.refresh(), (error: unknown) => (error as { data?: { payload?: { error?: string } } }).data?.payload?.error === 'invalid_grant');
  });

  it('sends the confidential client secret in the body when asked to (client_secret_post)', async () => {
    const oauth = oauthClient({ id: server.backend.clientId, secret: server.backend.clientSecret }, 'body');
    const token = await signIn(oauth, BACKEND_REDIRECT, ['profile']);
    assert.equal(token.token.scope, 'profile');
    await assertJane(token);
    // As on ilert, an app that authenticated with its secret gets a refresh token even without offline_access.
    const refreshed = await token.refresh();
    assert.equal(refreshed.token.refresh_token, token.token.refresh_token);
    await assertJane(refreshed);
  });

  it('surfaces a wrong client secret as invalid_client', async () => {
    const oauth = oauthClient({ id: server.backend.clientId, secret: 'not-the-secret' }, 'header');
    await assert.rejects(signIn(oauth, BACKEND_REDIRECT, ['profile']), (error: unknown) => {
      const boom = error as { output?: { statusCode?: number }; data?: { payload?: { error?: string } } };
      return boom.output?.statusCode === 401 && boom.data?.payload?.error === 'invalid_client';
    });
  });
});
