// The backend web service guide (seed 003), step by step, as its snippets send it.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

forEachStore('backend web service flow (confidential client)', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  it('authorize → sign in → allow → code → tokens → /api/users/current → refresh', async () => {
    const browser = new Browserless(server.url);
    const state = JSON.stringify({ bla: 'some other data' });
    const query = `client_id=${server.backend.clientId}&response_type=code&redirect_uri=${encodeURIComponent(BACKEND_REDIRECT)}&scope=profile%20source%3Aw&state=${encodeURIComponent(state)}`;
    const { location } = await browser.authorize(query, { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.ok(location, 'redirected back to the app');
    assert.equal(`${location.origin}${location.pathname}`, BACKEND_REDIRECT);
    assert.equal(location.searchParams.get('state'), state, 'state comes back byte for byte');
    assert.equal(location.searchParams.get('iss'), server.url);
    const code = location.searchParams.get('code');
    assert.ok(code);

    const token = await postForm(tokenUrl(server.url), {
      client_id: server.backend.clientId,
      client_secret: server.backend.clientSecret,
      code,
      grant_type: 'authorization_code',
    });
    assert.equal(token.status, 200);
    assert.match(token.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(token.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(token.body).sort(), ['access_token', 'expires_in', 'refresh_token', 'refresh_token_expires_in', 'scope', 'token_type']);
    assert.equal(token.body.token_type, 'Bearer');
    assert.equal(token.body.expires_in, 3600);
    assert.equal(token.body.scope, 'profile source:w');
    assert.equal(token.body.refresh_token_expires_in, 31536000);

    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${token.body.access_token}`, accept: 'application/json' } });
    assert.equal(me.status, 200);
    const user = (await me.json()) as Record<string, unknown>;
    assert.equal(user.username, 'jane');
    assert.equal(user.email, 'jane@acme.example');

    const refreshed = await postForm(tokenUrl(server.url), {
      client_id: server.backend.clientId,
      client_secret: server.backend.clientSecret,
      refresh_token: String(token.body.refresh_token),
      grant_type: 'refresh_token',
    });
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.body.refresh_token, token.body.refresh_token, 'confidential clients keep their refresh token');
    assert.notEqual(refreshed.body.access_token, token.body.access_token);

    const replay = await postForm(tokenUrl(server.url), {
      client_id: server.backend.clientId,
      client_secret: server.backend.clientSecret,
      code,
      grant_type: 'authorization_code',
    });
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal(replay.body.code, 'invalid_grant');

    const afterReplay = await postForm(tokenUrl(server.url), {
      client_id: server.backend.clientId,
      client_secret: server.backend.clientSecret,
      refresh_token: String(token.body.refresh_token),
      grant_type: 'refresh_token',
    });
    assert.equal(afterReplay.status, 400, 'a replayed code revokes the refresh token it produced');
    const info = await postForm(`${server.url}/api/developers/oauth2/token_info`, { token: String(refreshed.body.access_token) });
    assert.deepEqual(info.body, { active: false }, 'and the access tokens');
  });
});
