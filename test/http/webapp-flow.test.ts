// The browser PKCE guide (seed 000) and ilert's sample webapp, request for request as they send
// them: a public client with no secret, the "Refresh token" (on an app registered without
// rotation, as the demo does) and "Revoke token" buttons, and the sample backend's `?pkce=1` flow
// that sends both the secret and the verifier.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { registerApp } from '../../src/platform/apps.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { guideCodeChallenge, guideCodeVerifier, postForm, revokeUrl, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';

const jane = { tenant: 'acme', username: 'jane', password: PASSWORD };

forEachStore('browser PKCE flow (public client, seed 000)', (kind) => {
  let server: TestServer;
  let browser: Browserless;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    browser = new Browserless(server.url);
  });
  after(() => server.close());

  /** Step 1 and 2 of the guide: the redirect with URLSearchParams, then the code. */
  async function webappCode(scope: string, verifier: string, clientId = server.webapp.clientId): Promise<string> {
    const query = authorizeQuery({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: WEBAPP_REDIRECT,
      scope,
      state: 'optional-state',
      code_challenge: guideCodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const { location } = await browser.authorize(query, jane);
    assert.ok(location, 'redirected back to the webapp');
    assert.equal(`${location.origin}${location.pathname}`, WEBAPP_REDIRECT);
    assert.equal(location.searchParams.get('state'), 'optional-state');
    const code = location.searchParams.get('code');
    assert.ok(code, `a code in ${location.search}`);
    return code;
  }

  /** The guide's token request: client_id, grant_type, code, code_verifier, and no secret. */
  function redeem(code: string, verifier: string, clientId = server.webapp.clientId) {
    return postForm(tokenUrl(server.url), {
      client_id: clientId,
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
    });
  }

  /** The sample's "Refresh token" button: the original refresh token, no secret. */
  function refresh(refreshToken: string, clientId = server.webapp.clientId) {
    return postForm(tokenUrl(server.url), { client_id: clientId, refresh_token: refreshToken, grant_type: 'refresh_token' });
  }

  it('sends the guide-shaped PKCE parameters the way URLSearchParams encodes them', () => {
    const verifier = guideCodeVerifier();
    assert.match(verifier, /^[0-9a-f]{56}$/);
    const query = authorizeQuery({ scope: 'profile source:w offline_access', state: 'optional-state', code_challenge: guideCodeChallenge(verifier) });
    assert.match(query, /scope=profile\+source%3Aw\+offline_access/);
    assert.match(query, /state=optional-state/);
    assert.match(guideCodeChallenge(verifier), /^[A-Za-z0-9_-]{43}$/);
  });

  it('with offline_access: tokens and a refresh token without any secret', async () => {
    const verifier = guideCodeVerifier();
    const code = await webappCode('profile source:w offline_access', verifier);
    const token = await redeem(code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.match(token.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(token.body.token_type, 'Bearer');
    assert.equal(token.body.scope, 'profile source:w offline_access');
    assert.equal(token.body.expires_in, 3600);
    assert.equal(typeof token.body.refresh_token, 'string');
    assert.equal(token.body.refresh_token_expires_in, 31536000);

    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${token.body.access_token}`, accept: 'application/json' } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { username: string }).username, 'jane');
  });

  it('without offline_access: an access token but no refresh token', async () => {
    const verifier = guideCodeVerifier();
    const code = await webappCode('profile source:w', verifier);
    const token = await redeem(code, verifier);
    assert.equal(token.status, 200, token.text);
    assert.equal(typeof token.body.access_token, 'string');
    assert.equal(token.body.refresh_token, undefined);
    assert.equal(token.body.refresh_token_expires_in, undefined);
  });

  it('"Refresh token" keeps working with the original refresh token, click after click, for an app without rotation', async () => {
    // The sample's page re-sends its original refresh token on every click, so it is registered
    // with rotation off, as the demo registers it (a rotating app would revoke on the late click).
    const { app } = await registerApp({ tenantId: server.tenant.id, name: 'ilert sample webapp', redirectUris: [WEBAPP_REDIRECT], refreshRotation: 'never' }, server.ctx);
    const verifier = guideCodeVerifier();
    const token = await redeem(await webappCode('profile source:w offline_access', verifier, app.clientId), verifier, app.clientId);
    const original = String(token.body.refresh_token);
    const seen = new Set([String(token.body.access_token)]);
    for (let click = 1; click <= 4; click++) {
      // Minutes apart: well past the 60 s in which even a rotating app would take the old token back.
      server.clock.advance(click === 1 ? 1 : 300);
      const refreshed = await refresh(original, app.clientId);
      assert.equal(refreshed.status, 200, `click ${click}: ${refreshed.text}`);
      assert.equal(refreshed.body.token_type, 'Bearer');
      assert.equal(refreshed.body.scope, 'profile source:w offline_access');
      assert.equal(refreshed.body.refresh_token, original, 'the same refresh token comes back');
      seen.add(String(refreshed.body.access_token));
    }
    assert.equal(seen.size, 5, 'every click gives a new access token');
  });

  it('"Revoke token" with only token=<refresh>: 200 {} and the grant is over', async () => {
    const verifier = guideCodeVerifier();
    const token = await redeem(await webappCode('profile source:w offline_access', verifier), verifier);
    const refreshToken = String(token.body.refresh_token);

    const revoked = await postForm(revokeUrl(server.url), { token: refreshToken });
    assert.equal(revoked.status, 200);
    assert.match(revoked.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(revoked.body, {});

    const again = await refresh(refreshToken);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    assert.equal(again.body.code, 'invalid_grant');

    const info = await postForm(tokenInfoUrl(server.url), { token: String(token.body.access_token) });
    assert.equal(info.status, 200);
    assert.deepEqual(info.body, { active: false });
  });

  it("the sample backend's ?pkce=1 flow: client_secret and code_verifier together", async () => {
    // The sample backend's verifier: 32 random bytes as hex (64 chars).
    const verifier = guideCodeVerifier() + guideCodeVerifier().slice(0, 8);
    const state = encodeURIComponent(JSON.stringify({ bla: 'some other data', refId: '5d1f5f3e-8d5c-4c1e-9e0a-3f1f0b9c2a11' }));
    const query = `client_id=${server.backend.clientId}&response_type=code&redirect_uri=${encodeURIComponent(BACKEND_REDIRECT)}&state=${state}&scope=profile%20source%3Aw&code_challenge=${guideCodeChallenge(verifier)}&code_challenge_method=S256`;
    const { location } = await browser.authorize(query, jane);
    assert.ok(location);
    assert.deepEqual(JSON.parse(location.searchParams.get('state') ?? ''), { bla: 'some other data', refId: '5d1f5f3e-8d5c-4c1e-9e0a-3f1f0b9c2a11' });
    const code = location.searchParams.get('code') ?? '';

    const token = await postForm(tokenUrl(server.url), {
      client_id: server.backend.clientId,
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_secret: server.backend.clientSecret,
    });
    assert.equal(token.status, 200, token.text);
    assert.equal(token.body.scope, 'profile source:w');
    assert.equal(typeof token.body.refresh_token, 'string', 'the secret earns a refresh token even without offline_access');

    // That refresh token was earned with the secret, so refreshing it needs the secret too.
    const withoutSecret = await postForm(tokenUrl(server.url), {
      client_id: server.backend.clientId,
      grant_type: 'refresh_token',
      refresh_token: String(token.body.refresh_token),
    });
    assert.equal(withoutSecret.status, 401);
    assert.equal(withoutSecret.body.error, 'invalid_client');

    const withSecret = await postForm(tokenUrl(server.url), {
      client_id: server.backend.clientId,
      client_secret: server.backend.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: String(token.body.refresh_token),
    });
    assert.equal(withSecret.status, 200, withSecret.text);
  });
});
