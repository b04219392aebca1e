// "Done when" of OpenID Connect (issue 17): an app signs users in with a certified relying-party
// library against a fresh `npm start`. This starts `gatehouse serve --demo` (what `npm start` runs)
// in a new data dir and lets openid-client 6 and oauth4webapi sign the demo admin in to the demo's
// confidential app — discovery, code flow with PKCE and nonce, their own ID token validation,
// UserInfo, RP-initiated logout — with nothing configured beyond what the demo seeds.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import type { DemoCredentials } from '../../src/cli/demo.ts';
import { Browserless } from '../helpers/browserless.ts';
import { serve, type Served } from '../ops/serve-process.ts';

describe('a certified OIDC library against a fresh npm start', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-oidc-demo-'));
  let server: Served;
  let demo: DemoCredentials;
  let backend: DemoCredentials['apps'][number];
  /** The demo's issuer: PUBLIC_URL defaults to http://localhost:PORT. */
  let issuer: URL;
  before(async () => {
    server = await serve(['--demo', '--workers', '1'], { LOG_LEVEL: 'warn' }, /code_verifier/, dataDir);
    demo = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    backend = demo.apps.find((app) => app.name === 'ilert sample backend') ?? assert.fail('the demo has its backend app');
    issuer = new URL(`http://localhost:${server.port}`);
  });
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const signIn = async (url: URL, browser = new Browserless(url.origin)): Promise<URL> => {
    const { location } = await browser.authorize(url.search.slice(1), { tenant: demo.tenant, username: demo.username, password: demo.password });
    return location ?? assert.fail('redirected back to the app');
  };

  it('openid-client signs the demo admin in to the demo backend app, and out again', async () => {
    const config = await client.discovery(issuer, backend.clientId, backend.clientSecret ?? assert.fail('the demo prints its secret'), undefined, { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const [state, nonce] = [client.randomState(), client.randomNonce()];
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: backend.redirectUri,
      scope: 'openid profile email',
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const browser = new Browserless(issuer.origin);
    const tokens = await client.authorizationCodeGrant(config, await signIn(url, browser), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const claims = tokens.claims() ?? assert.fail('an ID token');
    assert.equal(claims.iss, issuer.origin);
    assert.equal(claims.aud, backend.clientId);
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.preferred_username, demo.username);

    // RP-initiated logout to the post-logout URI the demo registers for its web service example.
    const bye = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token ?? '', post_logout_redirect_uri: 'http://localhost:4597/signed-out', state });
    const response = await browser.request(bye.pathname + bye.search);
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `http://localhost:4597/signed-out?state=${state}`);
  });

  it("oauth4webapi's OpenID Connect checks pass against the demo", async () => {
    const insecure = { [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    const app: oauth.Client = { client_id: backend.clientId };
    const auth = oauth.ClientSecretPost(backend.clientSecret ?? '');
    const verifier = oauth.generateRandomCodeVerifier();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint ?? assert.fail('an authorization endpoint'));
    for (const [name, value] of Object.entries({ client_id: app.client_id, redirect_uri: backend.redirectUri, response_type: 'code', scope: 'openid email', nonce, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' })) url.searchParams.set(name, value);
    const params = oauth.validateAuthResponse(as, app, await signIn(url), oauth.expectNoState);
    const response = await oauth.authorizationCodeGrantRequest(as, app, auth, params, backend.redirectUri, verifier, insecure);
    const result = await oauth.processAuthorizationCodeResponse(as, app, response, { expectedNonce: nonce, requireIdToken: true });
    const claims = oauth.getValidatedIdTokenClaims(result) ?? assert.fail('validated ID token claims');
    const info = await oauth.processUserInfoResponse(as, app, claims.sub, await oauth.userInfoRequest(as, app, result.access_token, insecure));
    assert.equal(typeof info.email, 'string', 'email in UserInfo with the email scope');
  });
});
