// RFC 7662 introspection and the RFC 7009 revocation path, as generic OAuth clients use them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm } from '../helpers/token-client.ts';
import { tokensFor } from '../helpers/tokens.ts';

forEachStore('introspection', (kind) => {
  let server: TestServer;
  let tokens: { accessToken: string; refreshToken: string };
  before(async () => {
    server = await startTestServer({ store: kind.name });
    tokens = await tokensFor(server, 'profile source:w');
  });
  after(() => server.close());

  const introspect = (token: string, id = server.backend.clientId, secret = server.backend.clientSecret) =>
    postForm(`${server.url}/oauth2/introspect`, { token }, { authorization: basicAuth(id, secret) });

  it('describes an active access token to the client it was issued to', async () => {
    const response = await introspect(tokens.accessToken);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = response.body;
    assert.equal(body.active, true);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.scope, 'profile source:w');
    assert.equal(body.client_id, server.backend.clientId);
    assert.equal(body.username, 'jane');
    assert.equal(body.iss, server.url);
    assert.equal(typeof body.exp, 'number');
  });

  it('describes an active refresh token too, with client_secret in the body', async () => {
    const response = await postForm(`${server.url}/oauth2/introspect`, {
      token: tokens.refreshToken,
      client_id: server.backend.clientId,
      client_secret: server.backend.clientSecret,
    });
    assert.equal(response.body.active, true);
    assert.equal(response.body.token_type, 'refresh_token');
    assert.equal(response.body.scope, 'profile source:w');
  });

  it("says inactive for another client's token, garbage, and nothing more", async () => {
    assert.deepEqual((await introspect(tokens.accessToken, server.webapp.clientId, server.webapp.clientSecret)).body, { active: false });
    assert.deepEqual((await introspect('not-a-token')).body, { active: false });
    assert.deepEqual((await introspect('ghr_unknown')).body, { active: false });
  });

  it('requires client authentication', async () => {
    const anonymous = await postForm(`${server.url}/oauth2/introspect`, { token: tokens.accessToken, client_id: server.backend.clientId });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error, 'invalid_client');
    const wrong = await introspect(tokens.accessToken, server.backend.clientId, 'wrong');
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic/);
    const missing = await postForm(`${server.url}/oauth2/introspect`, {}, { authorization: basicAuth(server.backend.clientId, server.backend.clientSecret) });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error, 'invalid_request');
  });

  it('the standard revocation path ends the family, and introspection then says inactive', async () => {
    const own = await tokensFor(server, 'profile');
    const revoked = await postForm(`${server.url}/oauth2/revoke`, { token: own.refreshToken });
    assert.equal(revoked.status, 200);
    assert.deepEqual(revoked.body, {});
    assert.deepEqual((await introspect(own.refreshToken)).body, { active: false });
    assert.deepEqual((await introspect(own.accessToken)).body, { active: false });
  });

  it("the tokens of a disabled user are inactive (introspection and token_info), and active again when the user is enabled", async () => {
    const own = await tokensFor(server, 'profile');
    const refreshIsActive = async () => (await introspect(own.refreshToken)).body.active;
    const accessIsActive = async () => (await introspect(own.accessToken)).body.active;
    const tokenInfoIsActive = async () => (await postForm(`${server.url}/api/developers/oauth2/token_info`, { token: own.accessToken })).body.active;
    assert.deepEqual([await refreshIsActive(), await accessIsActive(), await tokenInfoIsActive()], [true, true, true]);
    // Straight in the store: no family is revoked, so only the per-request user check stops them.
    await server.store.users.update(server.user.id, { disabled: true }, server.clock.now());
    try {
      assert.deepEqual([await refreshIsActive(), await accessIsActive(), await tokenInfoIsActive()], [false, false, false]);
    } finally {
      await server.store.users.update(server.user.id, { disabled: false }, server.clock.now());
    }
    assert.deepEqual([await refreshIsActive(), await accessIsActive(), await tokenInfoIsActive()], [true, true, true]);
  });
});
