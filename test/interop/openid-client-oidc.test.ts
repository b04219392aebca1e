// OpenID Connect with certified relying-party libraries against a real Gatehouse: openid-client 6
// discovers the OpenID configuration, runs the code flow with PKCE and a nonce, validates the ID
// token with its own checks (signature, iss, aud, nonce, at_hash), refreshes and calls UserInfo;
// oauth4webapi's OpenID Connect checks pass too. A rejection here is a server bug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';

const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks http on loopback

describe('OpenID Connect interop', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  async function signIn(search: string): Promise<URL> {
    const { location } = await new Browserless(server.url).authorize(search, { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.ok(location, 'redirected back');
    return location;
  }

  it('openid-client: discovery, code flow with PKCE and nonce, ID token, UserInfo, refresh', async () => {
    // The default algorithm is 'oidc': /.well-known/openid-configuration.
    const config = await client.discovery(new URL(server.url), server.webapp.clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
    assert.equal(config.serverMetadata().userinfo_endpoint, `${server.url}/oauth2/userinfo`);
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: WEBAPP_REDIRECT,
      scope: 'openid profile email offline_access',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const callback = await signIn(url.search.slice(1));
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims.sub, String(server.user.id));
    assert.equal(claims.nonce, nonce);
    assert.equal(claims.aud, server.webapp.clientId);

    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.sub, claims.sub);
    assert.equal(info.preferred_username, 'jane');
    assert.equal(info.email, server.user.email);

    assert.ok(tokens.refresh_token);
    // openid-client checks the refreshed ID token against the first (same iss, sub, aud; no nonce).
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.equal(refreshed.claims()?.sub, claims.sub);
    assert.equal(refreshed.claims()?.nonce, undefined);
  });

  it("oauth4webapi: processAuthorizationCodeResponse checks the ID token with the expected nonce", async () => {
    const issuer = new URL(server.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    const rp: oauth.Client = { client_id: server.backend.clientId };
    const auth = oauth.ClientSecretBasic(server.backend.clientSecret);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const query = new URLSearchParams({ client_id: rp.client_id, redirect_uri: BACKEND_REDIRECT, response_type: 'code', scope: 'openid profile', state, nonce, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const params = oauth.validateAuthResponse(as, rp, await signIn(query.toString()), state);
    const response = await oauth.authorizationCodeGrantRequest(as, rp, auth, params, BACKEND_REDIRECT, verifier, insecure);
    const tokens = await oauth.processAuthorizationCodeResponse(as, rp, response, { expectedNonce: nonce, requireIdToken: true });
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    assert.equal(claims?.nonce, nonce);
    assert.equal(claims?.sub, String(server.user.id));

    const info = await oauth.processUserInfoResponse(as, rp, String(claims?.sub), await oauth.userInfoRequest(as, rp, tokens.access_token, insecure));
    assert.equal(info.preferred_username, 'jane');
  });
});
