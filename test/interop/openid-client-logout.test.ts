// RP-initiated logout with openid-client 6 (a certified relying party) against a real Gatehouse:
// after the code flow, buildEndSessionUrl (from discovery's end_session_endpoint) with the ID
// token as hint sends the browser back to the registered post-logout URI with the state, and the
// session has ended. A rejection here is a server bug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { Browserless } from '../helpers/browserless.ts';
import { PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';

const SIGNED_OUT = 'http://localhost:4597/webapp/signed-out';

describe('RP-initiated logout interop', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    await server.store.apps.update(server.webapp.app.id, { postLogoutRedirectUris: [SIGNED_OUT] }, server.clock.now());
  });
  after(() => server.close());

  it('openid-client: buildEndSessionUrl with the id_token_hint signs out and comes back with the state', async () => {
    const config = await client.discovery(new URL(server.url), server.webapp.clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
    assert.equal(config.serverMetadata().end_session_endpoint, `${server.url}/oauth2/logout`);
    const browser = new Browserless(server.url);
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: WEBAPP_REDIRECT, scope: 'openid profile', nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const { location } = await browser.authorize(url.search.slice(1), { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.ok(location, 'redirected back');
    const tokens = await client.authorizationCodeGrant(config, location, { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true });
    assert.ok(tokens.id_token);

    const state = client.randomState();
    const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: SIGNED_OUT, state });
    assert.equal(endSession.origin + endSession.pathname, `${server.url}/oauth2/logout`);
    const response = await browser.request(endSession.pathname + endSession.search);
    assert.equal(response.status, 303);
    const back = new URL(response.headers.get('location') ?? '');
    assert.equal(back.origin + back.pathname, SIGNED_OUT);
    assert.equal(back.searchParams.get('state'), state);

    const again = await browser.request(url.pathname + url.search);
    assert.match(await again.text(), /action="\/login"/, 'the next authorization asks to sign in');
  });
});
