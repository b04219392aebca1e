// A token's subject is a user or an app acting for itself (RFC 9068 §2.2): an app's own token,
// minted for a family without a user, goes through minting, token_info, introspection, the
// resource API and revocation like a user's, each saying what it is.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { App } from '../../src/domain/app.ts';
import { accessTokenResponse } from '../../src/oauth/issue-tokens.ts';
import { activeAccessToken } from '../../src/oauth/token-info.ts';
import { deleteApp } from '../../src/platform/app-management.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, revokeUrl, tokenInfoUrl } from '../helpers/token-client.ts';
import { tokenFor } from '../helpers/tokens.ts';

forEachStore("an app's own token", (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  /** What a client-credentials grant will do: a family of the app alone, and its access token. */
  async function ownToken(app: App, scope: string): Promise<{ token: string; familyId: string }> {
    const familyId = randomBytes(16).toString('hex');
    await server.store.families.create({ id: familyId, appId: app.id, userId: null, scope, confidential: true, createdAt: server.clock.now() });
    const response = await accessTokenResponse({ app, subject: { kind: 'client', appId: app.id }, familyId, scope }, server.ctx);
    return { token: response.access_token, familyId };
  }
  const api = (path: string, token: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const introspect = (token: string) =>
    postForm(`${server.url}/oauth2/introspect`, { token }, { authorization: basicAuth(server.backend.clientId, server.backend.clientSecret) });

  it('names the app: sub is its client id, the tenant its owner, and there is no username', async () => {
    const { token } = await ownToken(server.backend.app, 'source');
    const claims = decodeJwt(token);
    assert.equal(claims.sub, server.backend.clientId);
    assert.equal(claims.client_id, server.backend.clientId);
    assert.equal(claims.tenant, 'acme');
    assert.equal(claims.app_id, server.backend.app.id);
    assert.equal(claims.username, undefined);
    const active = await activeAccessToken(token, server.ctx);
    assert.equal(active?.subject.kind, 'client');
    assert.equal(active?.subject.kind === 'client' && active.subject.app.id, server.backend.app.id);
  });

  it('token_info and introspection describe it as the app', async () => {
    const { token } = await ownToken(server.backend.app, 'source');
    const info = await postForm(tokenInfoUrl(server.url), { token });
    assert.deepEqual(info.body, { active: true, tenant_id: 'acme', client_id: server.backend.clientId, scope: 'source', app_id: server.backend.app.id, aud: `${server.url}/api` });
    const described = await introspect(token);
    assert.equal(described.body.active, true);
    assert.equal(described.body.sub, server.backend.clientId);
    assert.equal(described.body.tenant, 'acme');
    assert.equal('username' in described.body, false);
  });

  it("serves the resource API in the owner's account, but /api/users/current names no user", async () => {
    const policy = await server.store.escalationPolicies.create(server.tenant.id, 'Own');
    const body = { name: 'Own source', integrationType: 'API', escalationPolicy: { id: policy.id } };
    const { token } = await ownToken(server.backend.app, 'profile source:w');
    const created = await fetch(`${server.url}/api/alert-sources`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(created.status, 201);
    const listed = (await (await api('/api/alert-sources', token)).json()) as { name: string }[];
    assert.ok(listed.some((source) => source.name === 'Own source'));
    const userToken = await tokenFor(server, 'source', { tenant: 'globex', username: 'otto' });
    const theirs = (await (await api('/api/alert-sources', userToken)).json()) as { name: string }[];
    assert.ok(!theirs.some((source) => source.name === 'Own source'), "another account's user does not see it");

    const current = await api('/api/users/current', token);
    assert.equal(current.status, 403);
    assert.equal(((await current.json()) as { code: string }).code, 'NOT_A_USER');
    const narrow = await ownToken(server.backend.app, 'source');
    assert.equal((await api('/api/users/current', narrow.token)).status, 403, 'the scope is checked first, as for users');
  });

  it('ends when revoked, and when its app is deleted', async () => {
    const revoked = await ownToken(server.backend.app, 'source');
    assert.equal((await postForm(revokeUrl(server.url), { token: revoked.token })).status, 200);
    assert.deepEqual((await postForm(tokenInfoUrl(server.url), { token: revoked.token })).body, { active: false });
    assert.equal((await api('/api/alert-sources', revoked.token)).status, 401);

    const doomed = await registerApp({ tenantId: server.tenant.id, name: 'Doomed', redirectUris: ['https://doomed.example/cb'] }, server.ctx);
    const own = await ownToken(doomed.app, 'source');
    assert.equal((await api('/api/alert-sources', own.token)).status, 200);
    assert.equal((await deleteApp(doomed.app, {}, server.ctx)).revokedFamilies, 1);
    assert.equal((await api('/api/alert-sources', own.token)).status, 401);
    assert.deepEqual((await postForm(tokenInfoUrl(server.url), { token: own.token })).body, { active: false });
  });

  it("is never mistaken for a user's, nor a user's for it: the store gives an app's family no user", async () => {
    const { familyId } = await ownToken(server.backend.app, 'source');
    assert.equal(await server.store.families.liveUser(familyId), undefined);
    assert.equal(await server.store.families.liveSubject(familyId), undefined);
    assert.equal(await server.store.families.isRevoked(familyId), false);
    assert.equal((await server.store.families.byId(familyId))?.userId, null);
  });
});
