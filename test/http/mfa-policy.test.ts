// The account's MFA policy over HTTP (docs/security.md "MFA policy"): off, admins, everyone; the
// forced enrolment of a covered user without a second factor (only the Security page until they
// enrol, authorize and device sent there, prompt=none refused); the last factor kept; an admin's
// reset (not of another account's user); `:d` scopes that step up at consent (refused on the device pages); and amr/acr in
// access tokens and introspection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { ACR_MFA, ACR_PASSWORD } from '../../src/oauth/acr.ts';
import type { MfaPolicy } from '../../src/domain/identity.ts';
import { Browserless, authorizeQuery, formFields } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, postForm, tokenUrl } from '../helpers/token-client.ts';
import { SECURITY, enrolTotp, nextCode } from '../helpers/totp-enrolment.ts';
import { decide, enterCode, publicDeviceApp, signedInPerson, startDevice } from '../helpers/device-flow.ts';
import { addUser, consoleAs, followDone, submit } from '../console/console-client.ts';

const STEP = '/login/second-factor';
const AUTHORIZE = '/api/developers/oauth2/authorize';

forEachStore('MFA policy', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  const setPolicy = (policy: Partial<MfaPolicy>) => server.store.tenants.setMfaPolicy(server.tenant.id, { required: 'off', forDeleteScopes: false, ...policy });
  const query = (extra: Record<string, string> = {}) => authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile', state: 's', ...extra });
  const events = async (type: string) => (await server.store.audit.list({ tenantId: server.tenant.id, limit: 500 })).filter((e) => e.type === type);
  const userId = async (username: string) => (await server.store.users.forLogin(server.tenant.id, username))!.id;

  /** Signs in with the password and code (a user with an authenticator app). */
  async function withCode(username: string, secret: string): Promise<Browserless> {
    const browser = new Browserless(server.url);
    const toStep = await browser.signIn('acme', username, PASSWORD, '/console');
    assert.equal(toStep.headers.get('location'), STEP);
    const page = await (await browser.request(`${STEP}?method=totp`)).text();
    const done = await browser.request(STEP, { form: { ...formFields(page, STEP), code: nextCode(server, secret) } });
    assert.equal(done.status, 303);
    return browser;
  }

  /** The token endpoint's answer for a code the browser gets by authorizing `q`. */
  async function tokensThrough(browser: Browserless, q: string, username: string) {
    const code = await browser.authorizeCode(q, { tenant: 'acme', username, password: PASSWORD });
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code });
    assert.equal(token.status, 200);
    return token.body as { access_token: string };
  }

  describe('whom it covers', () => {
    it('off: nobody is asked to enrol', async () => {
      await setPolicy({ required: 'off' });
      await addUser(server, server.tenant.id, 'olive');
      const browser = await consoleAs(server, 'acme', 'olive');
      assert.equal((await browser.request('/console/connections')).status, 200);
    });

    it('admins: an admin without a second factor is sent to the Security page, a user is not', async () => {
      await setPolicy({ required: 'admins' });
      await addUser(server, server.tenant.id, 'ada', 'ADMIN');
      const admin = await consoleAs(server, 'acme', 'ada');
      const sent = await admin.request('/console/connections');
      assert.equal(sent.status, 302);
      assert.equal(sent.headers.get('location'), SECURITY);
      const user = await consoleAs(server, 'acme', 'olive');
      assert.equal((await user.request('/console/connections')).status, 200, 'a USER is not covered');
    });

    it('everyone: a user without a second factor is sent to the Security page', async () => {
      await setPolicy({ required: 'everyone' });
      const browser = await consoleAs(server, 'acme', 'olive');
      assert.equal((await browser.request('/console/connections')).headers.get('location'), SECURITY);
      await setPolicy({ required: 'off' });
    });
  });

  describe('forced enrolment', () => {
    it('password → only the Security page (authorize and device too) → enrol with a code → on as usual', async () => {
      await setPolicy({ required: 'everyone' });
      await addUser(server, server.tenant.id, 'fern');
      const browser = new Browserless(server.url);
      const signedIn = await browser.signIn('acme', 'fern', PASSWORD, `${AUTHORIZE}?${query()}`);
      assert.equal(signedIn.status, 303, 'the password is right');
      const toSecurity = await browser.request(signedIn.headers.get('location')!);
      assert.equal(toSecurity.status, 302, 'the authorization request waits');
      assert.equal(toSecurity.headers.get('location'), SECURITY);
      const page = await (await browser.request(SECURITY)).text();
      assert.match(page, /Set up a second factor to continue/, 'a banner says why');
      assert.match(page, /href="\/console\/security\/passkeys"/, 'a passkey would do too');
      assert.equal((await browser.request('/console/security/passkeys')).status, 200, 'the passkeys page opens');

      const none = await browser.request(`${AUTHORIZE}?${query({ prompt: 'none' })}`);
      assert.match(none.headers.get('location') ?? '', /^http:\/\/localhost:[0-9]+\/authorize-result\?error=interaction_required/, 'prompt=none: interaction_required to the app');
      assert.equal((await browser.request('/device')).headers.get('location'), SECURITY, 'the device page waits too');
      const devicePost = await browser.request('/device', { form: { csrf: browser.cookie('gh_csrf')!, user_code: 'ABCD-EFGH' } });
      assert.equal(devicePost.status, 303);
      assert.equal(devicePost.headers.get('location'), SECURITY);
      for (const path of ['/console', '/console/apps', '/console/sign-out-everywhere']) {
        assert.equal((await browser.request(path)).headers.get('location'), SECURITY, `${path} waits`);
      }

      await enrolTotp(server, browser);
      assert.equal((await browser.request('/console/connections')).status, 200, 'the session goes on');
      const token = await tokensThrough(browser, query(), 'fern');
      // The enrolment proved the app but was no sign-in step: the session stays a password sign-in.
      assert.deepEqual(decodeJwt(token.access_token).amr, ['pwd']);
      await setPolicy({ required: 'off' });
    });
  });

  describe('the last factor', () => {
    it('is kept while the policy covers the user: the authenticator app, and the last passkey', async () => {
      await addUser(server, server.tenant.id, 'lars');
      const browser = await consoleAs(server, 'acme', 'lars');
      const secret = await enrolTotp(server, browser);
      await setPolicy({ required: 'everyone' });
      const refused = await submit(browser, SECURITY, `${SECURITY}/totp/disable`, { password: PASSWORD });
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /cannot remove your last one/);
      assert.ok((await server.store.secondFactors.totp(await userId('lars')))?.secretSealed, 'still on');

      const now = server.clock.now();
      const passkey = await server.store.passkeys.add({ userId: await userId('lars'), credentialId: 'cred-lars', publicKey: Buffer.from([1]), signCount: 0, transports: [], name: 'Laptop', aaguid: '00000000-0000-0000-0000-000000000000', backedUp: false, deviceType: 'singleDevice', createdAt: now });
      const off = await submit(browser, SECURITY, `${SECURITY}/totp/disable`, { code: nextCode(server, secret) });
      assert.equal(off.status, 303, 'with a passkey left, the app may go');
      const kept = await submit(browser, `/console/security/passkeys/${passkey!.id}/remove`, `/console/security/passkeys/${passkey!.id}/remove`);
      const { page } = await followDone(browser, kept);
      assert.match(page, /cannot remove your last one/);
      assert.equal((await server.store.passkeys.listForUser(await userId('lars'))).length, 1, 'the passkey stays');
      await setPolicy({ required: 'off' });
      const removed = await followDone(browser, await submit(browser, `/console/security/passkeys/${passkey!.id}/remove`, `/console/security/passkeys/${passkey!.id}/remove`));
      assert.match(removed.page, /was removed/, 'without the policy it may go');
    });
  });

  describe("an admin's reset", () => {
    it('removes every factor of a user of the account (asked first, CSRF, audited); the user enrols again', async () => {
      await addUser(server, server.tenant.id, 'rita');
      const rita = await consoleAs(server, 'acme', 'rita');
      await enrolTotp(server, rita);
      const admin = await consoleAs(server, 'acme', 'jane');
      const ritaId = await userId('rita');
      const users = await (await admin.request('/console/users')).text();
      assert.match(users, new RegExp(`href="/console/users/${ritaId}/reset-mfa"`));
      const forged = await submit(admin, `/console/users/${ritaId}/reset-mfa`, `/console/users/${ritaId}/reset-mfa`, {}, { csrf: false });
      assert.equal(forged.status, 403);
      assert.ok((await server.store.secondFactors.totp(ritaId))?.secretSealed, 'a forged form changes nothing');
      const done = await followDone(admin, await submit(admin, `/console/users/${ritaId}/reset-mfa`, `/console/users/${ritaId}/reset-mfa`));
      assert.match(done.page, /Removed the second factors of rita/);
      assert.equal((await server.store.secondFactors.totp(ritaId))?.secretSealed ?? null, null);
      assert.equal((await server.store.secondFactors.recoveryCodesLeft(ritaId)), 0);
      const [audited] = await events('mfa_reset');
      assert.match(audited?.detail ?? '', /user "rita"/);

      await setPolicy({ required: 'everyone' });
      const again = await consoleAs(server, 'acme', 'rita');
      assert.equal((await again.request('/console/connections')).headers.get('location'), SECURITY, 'the next sign-in asks to enrol');
      await setPolicy({ required: 'off' });
    });

    it("is not for another account's user, nor for a user who is no admin", async () => {
      const admin = await consoleAs(server, 'acme', 'jane');
      assert.equal((await admin.request(`/console/users/${server.otherUser.id}/reset-mfa`)).status, 404);
      const csrf = admin.cookie('gh_csrf')!;
      assert.equal((await admin.request(`/console/users/${server.otherUser.id}/reset-mfa`, { form: { csrf } })).status, 404);
      const user = await consoleAs(server, 'acme', 'olive');
      assert.equal((await user.request(`/console/users/${server.user.id}/reset-mfa`, { form: { csrf: user.cookie('gh_csrf')! } })).status, 403);
    });

    it('sets the policy on the Users page (audited); a bad value changes nothing', async () => {
      const admin = await consoleAs(server, 'acme', 'jane');
      await enrolTotp(server, admin);
      const saved = await followDone(admin, await submit(admin, '/console/users', '/console/users/mfa-policy', { required: 'admins', delete_scopes: 'on' }));
      assert.match(saved.page, /Saved the account security settings/);
      assert.match(saved.page, /value="admins" checked/);
      assert.deepEqual(await server.store.tenants.mfaPolicy(server.tenant.id), { required: 'admins', forDeleteScopes: true });
      assert.match((await events('mfa_policy_changed')).at(-1)?.detail ?? '', /required of admins; for :d scopes required/);
      const bad = await submit(admin, '/console/users', '/console/users/mfa-policy', { required: 'sometimes' });
      assert.equal(bad.status, 400);
      assert.deepEqual(await server.store.tenants.mfaPolicy(server.tenant.id), { required: 'admins', forDeleteScopes: true });
      await setPolicy({ required: 'off' });
    });
  });

  describe(':d scopes', () => {
    it('ask a password-only session for the second factor at consent; a user without one is refused', async () => {
      await setPolicy({ forDeleteScopes: true });
      await addUser(server, server.tenant.id, 'dora');
      const dora = await consoleAs(server, 'acme', 'dora');
      const secret = await enrolTotp(server, dora);
      // dora's console session signed in with the password only (before the app was set up).
      const deleting = query({ scope: 'profile source:d' });
      const viaCode = await withCode('dora', secret);
      const code = await tokensThrough(viaCode, deleting, 'dora');
      assert.deepEqual(decodeJwt(code.access_token).amr, ['pwd', 'otp', 'mfa'], 'a session with the code goes on');

      const stepUp = await dora.request(`${AUTHORIZE}?${deleting}`);
      assert.equal(stepUp.status, 302);
      assert.equal(stepUp.headers.get('location'), STEP, 'the password-only session is asked for the code');
      const none = await dora.request(`${AUTHORIZE}?${deleting}&prompt=none`);
      assert.match(none.headers.get('location') ?? '', /error=interaction_required/);
      const plain = await dora.request(`${AUTHORIZE}?${query()}`);
      assert.match(plain.headers.get('location') ?? '', /[?&]code=/, 'without a :d scope the password does (the grant is remembered: straight back with a code)');

      await addUser(server, server.tenant.id, 'noel');
      const noel = await consoleAs(server, 'acme', 'noel');
      const refused = await noel.request(`${AUTHORIZE}?${deleting}`);
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /A second factor is needed/);
      const posted = await noel.request(AUTHORIZE, { form: [...new URLSearchParams(deleting)].concat([['csrf', noel.cookie('gh_csrf')!], ['decision', 'allow']]) as [string, string][] });
      assert.equal(posted.status, 403, 'nor can the consent form be posted around it');
      await setPolicy({ forDeleteScopes: false });
    });

    it('are refused on the device pages to a password-only session (the device flow has no step-up)', async () => {
      await setPolicy({ forDeleteScopes: true });
      const app = await publicDeviceApp(server);
      const started = await startDevice(server, { client_id: app.clientId, scope: 'source:d' });
      const noel = await signedInPerson(server, 'noel');
      const refused = await enterCode(noel, started.user_code);
      assert.equal(refused.status, 403);
      assert.match(refused.html, /A second factor is needed/);
      const plain = await startDevice(server, { client_id: app.clientId, scope: 'source:w' });
      assert.equal((await decide(noel, plain.user_code, 'allow')).status, 200, 'without a :d scope the password does');
      await setPolicy({ forDeleteScopes: false });
    });
  });

  describe('amr and acr', () => {
    it('are in access tokens and introspection (not in token_info, which keeps ilert\'s shape)', async () => {
      await addUser(server, server.tenant.id, 'amy');
      const amy = await consoleAs(server, 'acme', 'amy');
      const password = await tokensThrough(amy, query(), 'amy');
      const plain = decodeJwt(password.access_token);
      assert.deepEqual(plain.amr, ['pwd']);
      assert.equal(plain.acr, ACR_PASSWORD);
      const secret = await enrolTotp(server, amy);
      const withMfa = await tokensThrough(await withCode('amy', secret), query(), 'amy');
      const claims = decodeJwt(withMfa.access_token);
      assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
      assert.equal(claims.acr, ACR_MFA);

      const introspected = await postForm(`${server.url}/oauth2/introspect`, { token: withMfa.access_token }, { authorization: basicAuth(server.backend.clientId, server.backend.clientSecret) });
      assert.equal(introspected.body.active, true);
      assert.deepEqual(introspected.body.amr, ['pwd', 'otp', 'mfa']);
      assert.equal(introspected.body.acr, ACR_MFA);
      const info = await postForm(`${server.url}/api/developers/oauth2/token_info`, { token: withMfa.access_token });
      assert.deepEqual(Object.keys(info.body).sort(), ['active', 'app_id', 'aud', 'scope', 'tenant_id', 'username']);
    });
  });
});
