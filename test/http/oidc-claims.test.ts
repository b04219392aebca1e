// OpenID Connect claims end to end: pairwise subjects (ID token and UserInfo agree, per redirect
// host), acr, picture, phone numbers, the `claims` request parameter (into the ID token, UserInfo
// and refreshes), and ID tokens from the device flow.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { App } from '../../src/domain/app.ts';
import { ACR_PASSWORD } from '../../src/oauth/acr.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { changeUser } from '../../src/platform/accounts.ts';
import { Browserless } from '../helpers/browserless.ts';
import { decide, poll, publicDeviceApp, signedInPerson, startDevice } from '../helpers/device-flow.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

interface Client {
  app: App;
  clientSecret: string;
  redirectUri: string;
}

forEachStore('OpenID Connect claims', (kind) => {
  let server: TestServer;
  let backend: Client;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    backend = { app: server.backend.app, clientSecret: server.backend.clientSecret, redirectUri: BACKEND_REDIRECT };
  });
  after(() => server.close());

  let apps = 0;
  /** A confidential app with one redirect URI, pairwise. */
  async function pairwiseApp(redirectUri: string): Promise<Client> {
    apps += 1;
    const { app, clientSecret } = await registerApp({ tenantId: server.tenant.id, name: `Pairwise ${apps}`, redirectUris: [redirectUri] }, server.ctx);
    const updated = await server.store.apps.update(app.id, { subjectType: 'pairwise' }, server.clock.now());
    assert.ok(updated);
    return { app: updated, clientSecret, redirectUri };
  }

  async function authorize(client: Client, extra: Record<string, string>): Promise<URL> {
    const query = new URLSearchParams({ client_id: client.app.clientId, response_type: 'code', redirect_uri: client.redirectUri, state: 'st', ...extra });
    const { location } = await new Browserless(server.url).authorize(query.toString(), { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.ok(location, 'redirected back');
    return location;
  }

  async function tokens(client: Client, extra: Record<string, string>) {
    const code = (await authorize(client, extra)).searchParams.get('code');
    assert.ok(code, 'a code');
    const response = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, client_id: client.app.clientId, client_secret: client.clientSecret });
    assert.equal(response.status, 200, response.text);
    return response.body;
  }

  async function idToken(token: unknown, clientId: string) {
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    return (await jwtVerify(String(token), jwks, { issuer: server.url, audience: clientId, typ: 'JWT' })).payload;
  }

  async function userinfo(accessToken: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${server.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${String(accessToken)}` } });
    assert.equal(response.status, 200);
    return (await response.json()) as Record<string, unknown>;
  }

  it('a pairwise app: the ID token and UserInfo agree on an opaque sub, shared by its redirect host only', async () => {
    const one = await pairwiseApp('https://rp-one.example/callback');
    const sibling = await pairwiseApp('https://rp-one.example/other');
    const elsewhere = await pairwiseApp('https://rp-two.example/callback');
    const subOf = async (client: Client) => {
      const body = await tokens(client, { scope: 'openid' });
      const claims = await idToken(body.id_token, client.app.clientId);
      assert.equal((await userinfo(body.access_token)).sub, claims.sub, 'UserInfo says what the ID token says');
      return claims.sub;
    };
    const sub = await subOf(one);
    assert.notEqual(sub, String(server.user.id));
    assert.match(String(sub), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(await subOf(sibling), sub, 'same redirect host, same sub');
    assert.notEqual(await subOf(elsewhere), sub, 'another host, another sub');
    assert.equal(await subOf(backend), String(server.user.id), 'a public app sees the user id');
  });

  it('the access token of a pairwise app keeps the user id (for resource servers), token_info unchanged', async () => {
    const app = await pairwiseApp('https://rp-three.example/callback');
    const body = await tokens(app, { scope: 'openid profile' });
    const [, payload] = String(body.access_token).split('.');
    assert.equal(JSON.parse(Buffer.from(String(payload), 'base64url').toString()).sub, String(server.user.id));
    const current = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${String(body.access_token)}` } });
    assert.equal(current.status, 200);
  });

  it('every ID token carries acr, at the exchange and on refresh', async () => {
    const body = await tokens(backend, { scope: 'openid' });
    assert.equal((await idToken(body.id_token, backend.app.clientId)).acr, ACR_PASSWORD);
    const refreshed = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: String(body.refresh_token), client_id: backend.app.clientId, client_secret: backend.clientSecret });
    assert.equal((await idToken(refreshed.body.id_token, backend.app.clientId)).acr, ACR_PASSWORD);
  });

  it('picture: in UserInfo with profile, only when the user has one', async () => {
    const withProfile = await tokens(backend, { scope: 'openid profile' });
    const withoutProfile = await tokens(backend, { scope: 'openid' });
    assert.equal('picture' in (await userinfo(withProfile.access_token)), false, 'not set yet');
    const picture = 'https://pictures.example/jane.png';
    await changeUser(server.user, { picture }, {}, server.ctx);
    try {
      assert.equal((await userinfo(withProfile.access_token)).picture, picture);
      assert.equal('picture' in (await userinfo(withoutProfile.access_token)), false, 'profile selects it');
    } finally {
      await changeUser(server.user, { picture: null }, {}, server.ctx);
    }
    assert.equal('picture' in (await userinfo(withProfile.access_token)), false, 'removed again');
  });

  it('a picture URL must be https (http on localhost) and at most 2048 characters', async () => {
    for (const bad of ['http://pictures.example/a.png', 'ftp://x.example/a', 'not a url', `https://x.example/${'a'.repeat(2048)}`, 'https://u:p@x.example/a']) {
      await assert.rejects(changeUser(server.user, { picture: bad }, {}, server.ctx), /picture URL/, bad.slice(0, 40));
    }
    const local = await changeUser(server.user, { picture: 'http://localhost:8080/a.png' }, {}, server.ctx);
    assert.equal(local.picture, 'http://localhost:8080/a.png');
    await changeUser(server.user, { picture: null }, {}, server.ctx);
  });

  /** Runs `check` while jane has a phone number, typed with separators; she has none before and after. */
  async function withPhoneNumber(check: () => Promise<void>): Promise<void> {
    const { phoneNumber } = await changeUser(server.user, { phoneNumber: '+49 (151) 1234-5678' }, {}, server.ctx);
    assert.equal(phoneNumber, '+4915112345678', 'stored in E.164 form');
    try {
      await check();
    } finally {
      await changeUser(server.user, { phoneNumber: null }, {}, server.ctx);
    }
  }

  it('phone: UserInfo has phone_number and an unverified phone_number_verified with the scope, only when the user has a number', async () => {
    const withPhone = await tokens(backend, { scope: 'openid phone' });
    assert.equal(withPhone.scope, 'openid phone');
    const withoutPhone = await tokens(backend, { scope: 'openid profile email' });
    const none = await userinfo(withPhone.access_token);
    assert.equal('phone_number' in none, false, 'no number yet: no claim');
    assert.equal('phone_number_verified' in none, false);
    await withPhoneNumber(async () => {
      const info = await userinfo(withPhone.access_token);
      assert.equal(info.phone_number, '+4915112345678');
      assert.equal(info.phone_number_verified, false);
      const other = await userinfo(withoutPhone.access_token);
      assert.equal('phone_number' in other, false, 'the phone scope selects it');
      assert.equal('phone_number_verified' in other, false);
      assert.equal((await idToken(withPhone.id_token, backend.app.clientId)).phone_number, undefined, 'a scope selects UserInfo claims, not ID token ones');
    });
    assert.equal('phone_number' in (await userinfo(withPhone.access_token)), false, 'removed again');
  });

  it('the claims parameter asks for phone_number in the ID token and phone_number_verified in UserInfo, each by itself', async () => {
    await withPhoneNumber(async () => {
      const claims = JSON.stringify({ id_token: { phone_number: { essential: true } }, userinfo: { phone_number_verified: null } });
      const body = await tokens(backend, { scope: 'openid', claims });
      const token = await idToken(body.id_token, backend.app.clientId);
      assert.equal(token.phone_number, '+4915112345678');
      assert.equal(token.phone_number_verified, undefined, 'only what was asked for');
      assert.deepEqual(await userinfo(body.access_token), { sub: String(server.user.id), phone_number_verified: false, tenant: 'acme' });
    });
    // Without a number, asking for it gives nothing, not an error.
    const body = await tokens(backend, { scope: 'openid', claims: '{"id_token":{"phone_number":null}}' });
    assert.equal((await idToken(body.id_token, backend.app.clientId)).phone_number, undefined);
  });

  it('a phone number that is not E.164 is refused and leaves the user as they were', async () => {
    for (const bad of ['0151 12345678', '+49 151 CALL ME', '+1234567', '+1234567890123456', `+${'1'.repeat(199)}`]) {
      await assert.rejects(changeUser(server.user, { phoneNumber: bad }, {}, server.ctx), /phone number/, bad.slice(0, 40));
    }
    assert.equal((await server.store.users.byId(server.user.id))?.phoneNumber, null);
  });

  it('the claims parameter puts email in the ID token and UserInfo without the email scope, and refreshes keep it', async () => {
    const claims = JSON.stringify({ id_token: { email: null, name: { essential: true } }, userinfo: { email: { essential: true }, phone_number: null } });
    const body = await tokens(backend, { scope: 'openid', claims });
    assert.equal(body.scope, 'openid');
    const first = await idToken(body.id_token, backend.app.clientId);
    assert.equal(first.email, server.user.email);
    assert.equal(first.name, `${server.user.firstName} ${server.user.lastName}`);
    assert.equal(first.sub, String(server.user.id), 'a requested claim never replaces a protocol one');
    const info = await userinfo(body.access_token);
    assert.equal(info.email, server.user.email);
    assert.equal(info.name, undefined, 'name was asked for the ID token only');
    const refreshed = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: String(body.refresh_token), client_id: backend.app.clientId, client_secret: backend.clientSecret });
    assert.equal(refreshed.status, 200);
    const again = await idToken(refreshed.body.id_token, backend.app.clientId);
    assert.equal(again.email, server.user.email);
    assert.equal(again.name, first.name);
    // Without the parameter, openid alone says nothing more.
    const plain = await tokens(backend, { scope: 'openid' });
    assert.equal((await idToken(plain.id_token, backend.app.clientId)).email, undefined);
    assert.deepEqual(Object.keys(await userinfo(plain.access_token)).sort(), ['sub', 'tenant']);
  });

  it('a malformed claims parameter is invalid_request at the redirect, with the state', async () => {
    for (const claims of ['{not json', '[]', '{"id_token":{"email":true}}', '{"userinfo":"email"}']) {
      const location = await authorize(backend, { scope: 'openid', claims });
      assert.equal(location.origin + location.pathname, BACKEND_REDIRECT);
      assert.equal(location.searchParams.get('error'), 'invalid_request', claims);
      assert.match(String(location.searchParams.get('error_description')), /claims/);
      assert.equal(location.searchParams.get('state'), 'st');
    }
  });

  it('without openid, the claims parameter is ignored as before', async () => {
    const location = await authorize(backend, { scope: 'profile', claims: '{not json' });
    assert.ok(location.searchParams.get('code'), 'a code, as for any OAuth request');
  });

  it('the claims parameter survives the sign-in page and the consent form', async () => {
    const app = await pairwiseApp('https://rp-four.example/callback');
    const body = await tokens(app, { scope: 'openid', claims: '{"id_token":{"preferred_username":null}}' });
    assert.equal((await idToken(body.id_token, app.app.clientId)).preferred_username, server.user.username);
  });

  it('a device grant with openid returns a verified ID token with the approving session', async () => {
    const device = await publicDeviceApp(server, { subjectType: 'pairwise' });
    const started = await startDevice(server, { client_id: device.clientId, scope: 'openid profile' });
    const person = await signedInPerson(server);
    await decide(person, started.user_code, 'allow');
    const answer = await poll(server, started.device_code, { client_id: device.clientId });
    assert.equal(answer.status, 200, answer.text);
    const claims = await idToken(answer.body.id_token, device.clientId);
    assert.equal(claims.nonce, undefined);
    assert.equal(claims.acr, ACR_PASSWORD);
    assert.equal(typeof claims.auth_time, 'number');
    assert.match(String(claims.sid), /^[0-9a-f]{32}$/);
    assert.equal((await userinfo(answer.body.access_token)).sub, claims.sub);
    assert.notEqual(claims.sub, String(server.user.id), 'its own pairwise sector');
    // Its refresh keeps the sign-in.
    const refreshed = await postForm(tokenUrl(server.url), { grant_type: 'refresh_token', refresh_token: String(answer.body.refresh_token), client_id: device.clientId });
    const again = await idToken(refreshed.body.id_token, device.clientId);
    assert.equal(again.sid, claims.sid);
    assert.equal(again.auth_time, claims.auth_time);
  });

  it('a device grant without openid has no ID token', async () => {
    const device = await publicDeviceApp(server);
    const started = await startDevice(server, { client_id: device.clientId, scope: 'profile' });
    await decide(await signedInPerson(server), started.user_code, 'allow');
    const answer = await poll(server, started.device_code, { client_id: device.clientId });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.id_token, undefined);
  });
});
