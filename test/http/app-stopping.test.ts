// Stopping an app's tokens at once: disabling it (its users' tokens and its own are revoked, the
// revocation feed hears of them, it gets no new ones until enabled, and enabling revives none),
// deleting it, rotating its secret with revocation, and narrowing its service scopes.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { App } from '../../src/domain/app.ts';
import { setAppDisabled } from '../../src/platform/app-disabling.ts';
import { deleteApp, rotateAppSecret, updateAppSettings, type AppSettings } from '../../src/platform/app-management.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

forEachStore("stopping an app's tokens", (kind) => {
  let server: TestServer;
  let count = 0;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  /** An app for users and for itself, with a fresh name. */
  const newApp = () =>
    registerApp(
      { tenantId: server.tenant.id, name: `Both ${++count}`, redirectUris: [BACKEND_REDIRECT], grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'], serviceScopes: [{ scope: 'source:w' }] },
      server.ctx,
    );
  const ownToken = async (app: { app: App; clientSecret: string }) => {
    const response = await postForm(tokenUrl(server.url), { grant_type: 'client_credentials' }, { authorization: basicAuth(app.app.clientId, app.clientSecret) });
    return response;
  };
  /** jane's access and refresh token for the app. */
  async function userTokens(app: { app: App; clientSecret: string }) {
    const query = authorizeQuery({ client_id: app.app.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'source', state: 's' });
    const { location } = await new Browserless(server.url).authorize(query, { tenant: 'acme', username: 'jane', password: PASSWORD });
    const code = location?.searchParams.get('code') ?? '';
    const response = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, client_id: app.app.clientId, client_secret: app.clientSecret });
    assert.equal(response.status, 200, response.text);
    return { access: String(response.body.access_token), refresh: String(response.body.refresh_token) };
  }
  const active = async (token: string) => (await postForm(tokenInfoUrl(server.url), { token })).body.active === true;
  const apiStatus = async (token: string) => (await fetch(`${server.url}/api/alert-sources`, { headers: { authorization: `Bearer ${token}` } })).status;
  const settingsOf = (app: App, serviceScopes: AppSettings['serviceScopes']): AppSettings => ({
    description: app.description,
    redirectUris: app.redirectUris,
    limitToAccount: app.limitToAccount,
    refreshRotation: app.refreshRotation,
    grantTypes: app.grantTypes,
    serviceScopes,
  });

  it('disabling revokes every token of the app at once, and the feed and the audit log say so', async () => {
    const app = await newApp();
    const own = String((await ownToken(app)).body.access_token);
    const user = await userTokens(app);
    assert.equal(await apiStatus(own), 200);
    assert.equal(await apiStatus(user.access), 200);
    const headBefore = await server.store.revocationFeed.sequence();

    const disabled = await setAppDisabled(app.app, true, { userId: server.user.id }, server.ctx);
    assert.equal(disabled.revokedFamilies, 2);
    assert.ok(disabled.app.disabledAt);
    for (const token of [own, user.access]) {
      assert.equal(await apiStatus(token), 401);
      assert.equal(await active(token), false);
    }
    await server.store.revocationFeed.sequence();
    const entries = await server.store.revocationFeed.after(1, headBefore, 100);
    assert.deepEqual(new Set(entries.map((e) => e.familyId)), new Set([claimsOf(own).fid, claimsOf(user.access).fid]));
    assert.ok(entries.every((e) => e.reason === 'app_disabled'));
    const events = await server.store.audit.list({ tenantId: server.tenant.id, limit: 5 });
    assert.ok(events.some((e) => e.type === 'app_disabled' && e.appId === app.app.id && /2 token families revoked/.test(e.detail)));
  });

  it('a disabled app gets no tokens: invalid_client at the token endpoint, an error page (no redirect) at authorize', async () => {
    const app = await newApp();
    const user = await userTokens(app);
    await setAppDisabled(app.app, true, {}, server.ctx);
    const own = await ownToken(app);
    assert.equal(own.status, 401);
    assert.equal(own.body.error, 'invalid_client');
    assert.match(String(own.body.error_description), /disabled/);
    const refreshed = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: user.refresh, client_id: app.app.clientId, client_secret: app.clientSecret });
    assert.equal(refreshed.body.error, 'invalid_client');
    const query = authorizeQuery({ client_id: app.app.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'source', state: 's' });
    const page = await new Browserless(server.url).request(`/api/developers/oauth2/authorize?${query}`);
    assert.equal(page.status, 400);
    assert.equal(page.headers.get('location'), null);
    assert.match(await page.text(), /This app is disabled/);
  });

  it('no token outlives a disable that races with token requests', async () => {
    const app = await newApp();
    const requests = Array.from({ length: 12 }, () => ownToken(app));
    const disabling = setAppDisabled(app.app, true, {}, server.ctx);
    const answers = await Promise.all(requests);
    await disabling;
    for (const answer of answers) {
      if (answer.status === 200) assert.equal(await active(String(answer.body.access_token)), false, 'issued before the disable, revoked by it');
      else assert.equal(answer.body.error, 'invalid_client');
    }
    assert.equal((await ownToken(app)).body.error, 'invalid_client');
  });

  it('enabling lets it ask again, but revives none of the old tokens', async () => {
    const app = await newApp();
    const old = String((await ownToken(app)).body.access_token);
    await setAppDisabled(app.app, true, {}, server.ctx);
    const enabled = await setAppDisabled(app.app, false, {}, server.ctx);
    assert.equal(enabled.app.disabledAt, null);
    assert.equal(await active(old), false);
    const fresh = await ownToken(app);
    assert.equal(fresh.status, 200, fresh.text);
    assert.equal(await apiStatus(String(fresh.body.access_token)), 200);
    assert.equal((await userTokens(app)).access.length > 0, true);
  });

  it('deleting the app, or rotating its secret with revocation, stops its own tokens; rotating without keeps them', async () => {
    const rotated = await newApp();
    const kept = String((await ownToken(rotated)).body.access_token);
    const withoutRevocation = await rotateAppSecret(rotated.app, { revokeTokens: false }, {}, server.ctx);
    assert.equal(await apiStatus(kept), 200);
    await rotateAppSecret(withoutRevocation.app, { revokeTokens: true }, {}, server.ctx);
    assert.equal(await apiStatus(kept), 401);
    assert.equal(await active(kept), false);
    assert.equal((await ownToken(rotated)).status, 401, 'the old secret no longer works');

    const doomed = await newApp();
    const own = String((await ownToken(doomed)).body.access_token);
    await deleteApp(doomed.app, {}, server.ctx);
    assert.equal(await apiStatus(own), 401);
    assert.equal(await active(own), false);
    assert.equal((await ownToken(doomed)).body.error, 'invalid_client');
  });

  it('narrowing the service scopes ends the app\'s own tokens; widening keeps them', async () => {
    const app = await newApp();
    const first = String((await ownToken(app)).body.access_token);
    const wider = await updateAppSettings(app.app, settingsOf(app.app, [{ scope: 'source:d profile' }]), {}, server.ctx);
    assert.deepEqual(wider.serviceScopes, [{ resourceId: 1, scope: 'profile source:d' }]);
    assert.equal(await apiStatus(first), 200);
    const second = await ownToken(app);
    assert.equal(second.body.scope, 'profile source:d');
    assert.equal(claimsOf(String(second.body.access_token)).fid, claimsOf(first).fid, 'the same family, its scope grown');

    await updateAppSettings(wider, settingsOf(wider, [{ scope: 'source' }]), {}, server.ctx);
    assert.equal(await apiStatus(first), 401);
    assert.equal(await active(String(second.body.access_token)), false);
    assert.equal((await ownToken(app)).body.scope, 'source');
  });

  it('checks service scopes against each resource\'s catalog, naming what is wrong', async () => {
    const app = await newApp();
    await assert.rejects(updateAppSettings(app.app, settingsOf(app.app, [{ scope: 'source nonsense' }]), {}, server.ctx), /Unknown service scope nonsense/);
    await assert.rejects(updateAppSettings(app.app, settingsOf(app.app, [{ scope: 'offline_access' }]), {}, server.ctx), /offline_access cannot be a service scope/);
    await assert.rejects(updateAppSettings(app.app, settingsOf(app.app, [{ resource: 'https://nowhere.example', scope: 'x' }]), {}, server.ctx), /no resource "https:\/\/nowhere\.example"/);
    assert.deepEqual((await server.store.apps.byId(app.app.id))?.serviceScopes, [{ resourceId: 1, scope: 'source:w' }], 'unchanged');
    const merged = await updateAppSettings(app.app, settingsOf(app.app, [{ scope: 'source' }, { resource: `${server.url}/api`, scope: 'source:w policy' }]), {}, server.ctx);
    assert.deepEqual(merged.serviceScopes, [{ resourceId: 1, scope: 'policy source:w' }], 'one entry per resource, levels merged');
  });
});
