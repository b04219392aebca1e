// oauth4webapi's dynamic client registration (RFC 7591) against a real Gatehouse: it finds the
// registration endpoint in discovery, registers a public and a confidential client, and runs the
// authorization code flow with each; with GATEHOUSE_REGISTRATION=token it sends the initial access
// token, and without one it sees the Bearer challenge. A rejection here is a server bug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { createInitialAccessToken } from '../../src/platform/registration-tokens.ts';
import { Browserless } from '../helpers/browserless.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';

const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks http on loopback
const REDIRECT = 'http://127.0.0.1:48123/callback';

async function discover(server: TestServer): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(server.url);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
}

/** Signs jane in on the real pages and returns the callback URL the browser lands on. */
async function authorize(server: TestServer, as: oauth.AuthorizationServer, client: oauth.Client, state: string, challenge: string): Promise<URL> {
  const url = new URL(String(as.authorization_endpoint));
  url.search = new URLSearchParams({ client_id: client.client_id, redirect_uri: REDIRECT, response_type: 'code', scope: 'profile offline_access', state, code_challenge: challenge, code_challenge_method: 'S256' }).toString();
  const { location } = await new Browserless(server.url).authorize(url.search.slice(1), { tenant: 'acme', username: 'jane', password: PASSWORD });
  assert.ok(location, 'redirected back');
  return location;
}

async function codeFlow(server: TestServer, as: oauth.AuthorizationServer, client: oauth.Client, auth: oauth.ClientAuth) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const callback = await authorize(server, as, client, state, await oauth.calculatePKCECodeChallenge(verifier));
  const params = oauth.validateAuthResponse(as, client, callback, state);
  return oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT, verifier, insecure));
}

describe('oauth4webapi dynamic client registration (open)', () => {
  let server: TestServer;
  let as: oauth.AuthorizationServer;
  before(async () => {
    server = await startTestServer({ config: { registration: 'open' } });
    as = await discover(server);
  });
  after(() => server.close());

  it('finds the registration endpoint in discovery', () => {
    assert.equal(as.registration_endpoint, `${server.url}/oauth2/register`);
  });

  it('registers a public client and signs a user in with it, refreshing its tokens', async () => {
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(as, { client_name: 'oauth4webapi public', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] }, insecure),
    );
    assert.equal(registered.token_endpoint_auth_method, 'none');
    assert.equal(registered.client_secret, undefined);
    const client: oauth.Client = { client_id: registered.client_id, token_endpoint_auth_method: 'none' };
    const tokens = await codeFlow(server, as, client, oauth.None());
    assert.ok(tokens.refresh_token);
    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token, insecure));
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token);
    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    assert.equal(me.status, 200);
  });

  it('registers a confidential client and redeems its code with client_secret_basic', async () => {
    const registered = await oauth.processDynamicClientRegistrationResponse(await oauth.dynamicClientRegistrationRequest(as, { client_name: 'oauth4webapi confidential', redirect_uris: [REDIRECT] }, insecure));
    assert.equal(registered.token_endpoint_auth_method, 'client_secret_basic');
    assert.equal(typeof registered.client_secret, 'string');
    assert.equal(registered.client_secret_expires_at, 0);
    const client: oauth.Client = { client_id: registered.client_id };
    const tokens = await codeFlow(server, as, client, oauth.ClientSecretBasic(String(registered.client_secret)));
    assert.ok(tokens.access_token);
  });

  it('registers a private_key_jwt client with its public JWK Set and redeems its code with an assertion', async () => {
    const { privateKey, publicKey } = await oauth.generateKeyPair('ES256', { extractable: true });
    const jwk = await crypto.subtle.exportKey('jwk', publicKey);
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(as, { client_name: 'oauth4webapi keys', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, alg: 'ES256', use: 'sig', kid: 'k1' }] } }, insecure),
    );
    assert.equal(registered.token_endpoint_auth_method, 'private_key_jwt');
    assert.equal(registered.client_secret, undefined, 'no shared secret');
    const client: oauth.Client = { client_id: registered.client_id, token_endpoint_auth_method: 'private_key_jwt' };
    const tokens = await codeFlow(server, as, client, oauth.PrivateKeyJwt({ key: privateKey, kid: 'k1' }));
    assert.ok(tokens.access_token);
  });

  it('reads the RFC 7591 error of bad metadata', async () => {
    const response = await oauth.dynamicClientRegistrationRequest(as, { redirect_uris: ['http://evil.example/callback'], token_endpoint_auth_method: 'none' }, insecure);
    await assert.rejects(oauth.processDynamicClientRegistrationResponse(response), (error: unknown) => {
      assert.ok(error instanceof oauth.ResponseBodyError);
      assert.equal(error.error, 'invalid_redirect_uri');
      assert.match(String(error.error_description), /redirect_uris\[0\]/);
      return true;
    });
  });
});

describe('oauth4webapi dynamic client registration (token)', () => {
  let server: TestServer;
  let as: oauth.AuthorizationServer;
  before(async () => {
    server = await startTestServer({ config: { registration: 'token' } });
    as = await discover(server);
  });
  after(() => server.close());

  it('registers with an initial access token, and sees the Bearer challenge without one', async () => {
    const { token } = await createInitialAccessToken({ label: 'oauth4webapi' }, server.ctx);
    const metadata = { client_name: 'with a token', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' };
    const registered = await oauth.processDynamicClientRegistrationResponse(await oauth.dynamicClientRegistrationRequest(as, metadata, { initialAccessToken: token, ...insecure }));
    assert.match(registered.client_id, /^[0-9a-f]{20}$/);
    await assert.rejects(oauth.processDynamicClientRegistrationResponse(await oauth.dynamicClientRegistrationRequest(as, metadata, insecure)), (error: unknown) => {
      assert.ok(error instanceof oauth.WWWAuthenticateChallengeError, String(error));
      assert.equal(error.cause[0]?.scheme, 'bearer');
      return true;
    });
  });
});
