// Every way a token family ends — the user revokes the app, the app is deleted, its secret is
// rotated with revocation, the user is disabled — stops the JWT access tokens already handed out
// at token_info, introspection and the resource API at once, and ends the refresh tokens.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { changeUser, createUser } from '../../src/platform/accounts.ts';
import { deleteApp, rotateAppSecret } from '../../src/platform/app-management.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { listConnections, revokeConnection } from '../../src/platform/connections.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';
import { tokensFor, type IssuedTokens } from '../helpers/tokens.ts';

forEachStore('revocation paths', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  const tokenInfo = async (token: string) => (await postForm(tokenInfoUrl(server.url), { token })).body.active;
  const apiStatus = async (token: string) => (await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${token}` } })).status;
  const introspect = async (token: string, app = server.backend) =>
    (await postForm(`${server.url}/oauth2/introspect`, { token }, { authorization: basicAuth(app.clientId, app.clientSecret) })).body.active;
  const refresh = (tokens: IssuedTokens, secret = server.backend.clientSecret) =>
    postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_id: server.backend.clientId, client_secret: secret });

  async function assertWorks(tokens: IssuedTokens, why: string): Promise<void> {
    assert.equal(await tokenInfo(tokens.accessToken), true, `token_info ${why}`);
    assert.equal(await apiStatus(tokens.accessToken), 200, `the API ${why}`);
  }

  async function assertDead(tokens: IssuedTokens, why: string): Promise<void> {
    assert.equal(await tokenInfo(tokens.accessToken), false, `token_info ${why}`);
    assert.equal(await apiStatus(tokens.accessToken), 401, `the API ${why}`);
    assert.equal(await introspect(tokens.refreshToken), false, `introspection of the refresh token ${why}`);
    const refused = await refresh(tokens);
    assert.equal(refused.status, 400, `refresh ${why}`);
    assert.equal(refused.body.error, 'invalid_grant');
  }

  describe('a user revokes an app under App connections', () => {
    it("ends that user's tokens for that app, forgets the consent, and leaves others alone", async () => {
      const jane = await tokensFor(server, 'profile');
      const janeAgain = await tokensFor(server, 'profile source:r');
      const connections = await listConnections(server.user.id, server.ctx);
      const connection = connections.find((c) => c.appId === server.backend.app.id);
      assert.ok(connection, 'the backend app is listed among jane\'s connections');
      assert.equal(connection.appName, 'Backend app');
      assert.match(connection.scope, /^profile source/, 'both consents merged');

      assert.equal(await revokeConnection(server.user.id, server.backend.app.id, { userId: server.user.id }, server.ctx), true);
      await assertDead(jane, 'after the user revoked the app');
      await assertDead(janeAgain, 'after the user revoked the app');
      assert.equal(await server.store.grants.find(server.user.id, server.backend.app.id), undefined, 'the next authorize asks for consent again');
      assert.equal((await listConnections(server.user.id, server.ctx)).some((c) => c.appId === server.backend.app.id), false);
      assert.equal(await revokeConnection(server.user.id, server.backend.app.id, {}, server.ctx), false, 'nothing left to revoke');

      const fresh = await tokensFor(server, 'profile');
      await assertWorks(fresh, 'for a new grant after the revocation');
      const events = await server.store.audit.list({ tenantId: server.tenant.id, limit: 50 });
      assert.ok(events.some((e) => e.type === 'app_access_revoked' && e.appId === server.backend.app.id));
    });
  });

  describe('rotating an app secret', () => {
    it('without revocation keeps tokens; the old secret stops working, the new one works', async () => {
      const tokens = await tokensFor(server, 'profile');
      const rotated = await rotateAppSecret(server.backend.app, { revokeTokens: false }, {}, server.ctx);
      assert.equal(rotated.revokedFamilies, 0);
      assert.match(rotated.clientSecret, /^[0-9a-f]{64}$/);
      await assertWorks(tokens, 'after a rotation that keeps tokens');
      const old = await refresh(tokens);
      assert.equal(old.status, 401, 'the old secret is refused');
      assert.equal(old.body.error, 'invalid_client');
      server.backend.clientSecret = rotated.clientSecret;
      assert.equal((await refresh(tokens)).status, 200, 'the refresh token works with the new secret');
    });

    it('with revocation ends every token the app was issued', async () => {
      const tokens = await tokensFor(server, 'profile');
      const rotated = await rotateAppSecret(server.backend.app, { revokeTokens: true }, {}, server.ctx);
      server.backend.clientSecret = rotated.clientSecret;
      assert.ok(rotated.revokedFamilies >= 1);
      await assertDead(tokens, 'after a rotation with revocation');
      await assertWorks(await tokensFor(server, 'profile'), 'for a token issued after the rotation');
    });
  });

  describe('disabling a user', () => {
    it("ends the user's sessions and tokens; enabling again does not revive them", async () => {
      const bob = await createUser({ tenantId: server.tenant.id, username: 'bob', password: PASSWORD }, server.ctx);
      const owner = { tenant: 'acme', username: 'bob' };
      const tokens = await tokensFor(server, 'profile', owner);
      const disabled = await changeUser(bob, { disabled: true }, { userId: server.user.id }, server.ctx);
      assert.equal(disabled.disabled, true);
      await assertDead(tokens, 'after the user was disabled');
      const enabled = await changeUser(disabled, { disabled: false }, { userId: server.user.id }, server.ctx);
      assert.equal(enabled.disabled, false);
      assert.equal(await tokenInfo(tokens.accessToken), false, 'revoked tokens stay revoked');
      await assertWorks(await tokensFor(server, 'profile', owner), 'for a token issued after enabling');
    });

    it('keeps one active admin in every tenant', async () => {
      await assert.rejects(changeUser(server.user, { disabled: true }, {}, server.ctx), /at least one active admin/);
      await assert.rejects(changeUser(server.user, { role: 'USER' }, {}, server.ctx), /at least one active admin/);
      assert.equal((await server.store.users.byId(server.user.id))?.disabled, false);
    });
  });

  describe('a second instance', () => {
    it("sees a revocation made through another store object on the same database at once", async (t) => {
      // Another process (the CLI, another server) opens its own store; nothing is shared but the database.
      const database = await kind.database();
      const a = await startTestServer({ database });
      t.after(() => a.close());
      const cli = await database.open();
      t.after(() => cli.close());
      const tokens = await tokensFor(a, 'profile');
      assert.equal((await postForm(tokenInfoUrl(a.url), { token: tokens.accessToken })).body.active, true);
      await cli.families.revokeWhere({ appId: a.backend.app.id, userId: a.user.id }, 'revoked_by_user', new Date());
      assert.equal((await postForm(tokenInfoUrl(a.url), { token: tokens.accessToken })).body.active, false);
    });
  });

  describe('deleting an app', () => {
    it('ends every token of the app, removes its grants, and frees nothing else', async () => {
      const doomed = await registerApp({ tenantId: server.tenant.id, name: 'Doomed app', redirectUris: [BACKEND_REDIRECT] }, server.ctx);
      const original = server.backend;
      server.backend = { app: doomed.app, clientId: doomed.app.clientId, clientSecret: doomed.clientSecret };
      try {
        const tokens = await tokensFor(server, 'profile');
        await assertWorks(tokens, 'before the deletion');
        const result = await deleteApp(doomed.app, { userId: server.user.id }, server.ctx);
        assert.equal(result.revokedFamilies, 1);
        assert.equal(await tokenInfo(tokens.accessToken), false, 'token_info after the app was deleted');
        assert.equal(await apiStatus(tokens.accessToken), 401, 'the API after the app was deleted');
        const refused = await refresh(tokens, doomed.clientSecret);
        assert.equal(refused.status, 401, 'the deleted client cannot authenticate');
        assert.equal(await server.store.apps.byId(doomed.app.id), undefined);
        assert.equal((await listConnections(server.user.id, server.ctx)).some((c) => c.appId === doomed.app.id), false);
      } finally {
        server.backend = original;
      }
      await assertWorks(await tokensFor(server, 'profile'), "for another app's token");
    });
  });
});
