// A passkey as the second step of sign-in, over HTTP on both databases with the software
// authenticator: password then passkey (amr and acr in the ID token), step-up from acr_values, and
// what is refused — another user's passkey, another pending sign-in's challenge, a replayed
// assertion, no CSRF, no pending sign-in — and the passkey beside the authenticator app. And the console's Security page listing the passkeys.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { decodeJwt } from 'jose';
import { ACR_MFA } from '../../src/oauth/acr.ts';
import { confirmTotpEnrolment, securityStatus, startTotpEnrolment } from '../../src/platform/second-factor.ts';
import { codeAt } from '../../src/platform/totp.ts';
import { Browserless, authorizeQuery, formFields } from '../helpers/browserless.ts';
import { SECOND_FACTOR_PASSKEY, addPasskey, postJson } from '../helpers/passkey-client.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import type { User } from '../../src/domain/identity.ts';
import type { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { addUser, consoleAs, followDone, submit } from '../console/console-client.ts';

const STEP = '/login/second-factor';

forEachStore('a passkey as the second factor', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  /** A new user of acme with one passkey (added in the console, signed in with the password alone). */
  async function userWithPasskey(username: string): Promise<{ authenticator: SoftAuthenticator; console: Browserless; user: User }> {
    const user = await addUser(server, server.tenant.id, username);
    const console = await consoleAs(server, 'acme', username);
    return { authenticator: await addPasskey(console, server.url, username), console, user };
  }

  /** A fresh browser past the password: its pending sign-in waits for the second step. */
  async function pastPassword(username: string, returnTo = '/console'): Promise<Browserless> {
    const browser = new Browserless(server.url);
    const response = await browser.signIn('acme', username, PASSWORD, returnTo);
    assert.equal(response.headers.get('location'), STEP, 'a user with a passkey has a second step');
    return browser;
  }

  /** The challenge of the browser's pending sign-in, and the credentials it lists. */
  async function options(browser: Browserless): Promise<{ challenge: string; rpId: string; allowCredentials: { id: string }[] }> {
    const response = await postJson(browser, SECOND_FACTOR_PASSKEY.options, {});
    assert.equal(response.status, 200, await response.clone().text());
    return response.json();
  }

  const answer = (browser: Browserless, response: Record<string, unknown>) => postJson(browser, SECOND_FACTOR_PASSKEY.verify, { response });
  const signedIn = async (browser: Browserless) => (await browser.request('/console/connections')).status === 200;

  it('signs in with password and passkey: the ID token says so (amr, acr), the pending sign-in is used up', async () => {
    const { authenticator } = await userWithPasskey('pia');
    const browser = new Browserless(server.url);
    const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', state: 's' });
    const loginPage = await (await browser.request(`/api/developers/oauth2/authorize?${query}`)).text();
    const toStep = await browser.request('/login', { form: { ...formFields(loginPage, '/login'), tenant: 'acme', username: 'pia', password: PASSWORD } });
    assert.equal(toStep.headers.get('location'), STEP);
    const page = await (await browser.request(STEP)).text();
    assert.match(page, /<h1>Use your passkey<\/h1>/, 'only passkeys: the passkey page');
    assert.match(page, /<button type="button" class="primary" data-passkey-button disabled>Use a passkey<\/button>/, 'disabled until the script runs');
    assert.match(page, /data-passkey-note data-otherwise="[^"]*">Using a passkey needs JavaScript[^<]*Use a browser with JavaScript turned on, or a recovery code\./);
    assert.match(page, /src="\/assets\/passkeys\.js\?v=/);
    assert.doesNotMatch(page, /authenticator app/);
    assert.doesNotMatch(page, /name="code"/, 'no code to type');
    const typed = await browser.request(STEP, { form: { csrf: browser.cookie('gh_csrf') ?? '', code: '123456' } });
    assert.equal(typed.status, 400, 'a typed code for a user with only passkeys');
    assert.match(await typed.text(), /Use your passkey/);

    const { challenge, allowCredentials } = await options(browser);
    assert.deepEqual(allowCredentials.map((c) => c.id), [authenticator.id], "only the pending user's passkeys");
    const done = await answer(browser, authenticator.assert(challenge, { origin: server.url }));
    assert.equal(done.status, 200, await done.clone().text());
    const { redirect } = (await done.json()) as { redirect: string };
    assert.match(redirect, /^\/api\/developers\/oauth2\/authorize\?/, 'back to the authorization request');
    assert.equal(browser.cookie('gh_pending'), undefined, 'the pending cookie is cleared');
    const again = await answer(browser, authenticator.assert(challenge, { origin: server.url }));
    assert.equal(again.status, 401, 'the pending sign-in finished once');
    const code = await browser.authorizeCode(query, { tenant: 'acme', username: 'pia', password: PASSWORD });
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code });
    const claims = decodeJwt(String(token.body.id_token));
    assert.deepEqual(claims.amr, ['pwd', 'hwk', 'user', 'mfa']);
    assert.equal(claims.acr, ACR_MFA);
    const types = (await server.store.audit.list({ limit: 5 })).map((e) => e.type);
    for (const type of ['passkey_sign_in', 'mfa_succeeded', 'login_succeeded'] as const) assert.ok(types.includes(type), type);
  });

  it("refuses another user's passkey, and another pending sign-in's challenge; neither signs in", async () => {
    const { authenticator: quinn } = await userWithPasskey('quinn');
    const { authenticator: rosa } = await userWithPasskey('rosa');
    const browser = await pastPassword('quinn');
    const theirs = await answer(browser, rosa.assert((await options(browser)).challenge, { origin: server.url }));
    assert.equal(theirs.status, 400);
    assert.match(await theirs.text(), /belongs to someone else/);
    assert.equal(await signedIn(browser), false);
    assert.ok((await server.store.audit.list({ limit: 3 })).some((e) => e.type === 'passkey_failed' && /second factor/.test(e.detail)));

    const other = await pastPassword('quinn');
    const otherChallenge = (await options(other)).challenge;
    await options(browser);
    const crossed = await answer(browser, quinn.assert(otherChallenge, { origin: server.url }));
    assert.equal(crossed.status, 400, "a challenge of another browser's pending sign-in");
    assert.equal(await signedIn(browser), false);
    const stolen = await answer(browser, quinn.assert((await options(other)).challenge, { origin: server.url }));
    assert.equal(stolen.status, 400, 'a fresh challenge of the other sign-in either');
    assert.equal(await signedIn(browser), false);
  });

  it('refuses a replayed assertion and a counter that did not go up', async () => {
    const { authenticator } = await userWithPasskey('sol');
    const first = await pastPassword('sol');
    const used = authenticator.assert((await options(first)).challenge, { origin: server.url });
    assert.equal((await answer(first, used)).status, 200);
    const second = await pastPassword('sol');
    await options(second);
    const replayed = await answer(second, used);
    assert.equal(replayed.status, 400, 'the same answer again');
    const stale = await answer(second, authenticator.assert((await options(second)).challenge, { origin: server.url, counter: authenticator.counter }));
    assert.equal(stale.status, 400);
    assert.match(await stale.text(), /counter/);
    assert.equal(await signedIn(second), false);
    const ok = await answer(second, authenticator.assert((await options(second)).challenge, { origin: server.url }));
    assert.equal(ok.status, 200, 'wrong answers leave the pending sign-in for a right one');
  });

  it('refuses without CSRF or a pending sign-in, changing nothing', async () => {
    await userWithPasskey('tove');
    const browser = await pastPassword('tove');
    for (const path of [SECOND_FACTOR_PASSKEY.options, SECOND_FACTOR_PASSKEY.verify]) {
      const forged = await postJson(browser, path, {}, { csrf: false });
      assert.equal(forged.status, 403);
      assert.match(await forged.text(), /CSRF/);
    }
    const stranger = new Browserless(server.url);
    await stranger.request('/login');
    const none = await postJson(stranger, SECOND_FACTOR_PASSKEY.options, {});
    assert.equal(none.status, 401);
    assert.match(await none.text(), /Sign in again/);
    const bad = await postJson(browser, SECOND_FACTOR_PASSKEY.verify, { response: { id: 'x' } });
    assert.equal(bad.status, 400);
    const noPasskey = new Browserless(server.url);
    await addUser(server, server.tenant.id, 'uma');
    assert.equal((await noPasskey.signIn('acme', 'uma', PASSWORD, '/console')).headers.get('location'), '/console', 'no passkey, no second step');
  });

  it('offers the passkey beside the authenticator app and recovery codes; without the script, the code form still works', async () => {
    const { authenticator, user: xia } = await userWithPasskey('xia');
    await startTotpEnrolment(xia, server.ctx);
    const secret = (await securityStatus(xia, server.tenant, server.ctx)).enrolment!.secret;
    assert.equal((await confirmTotpEnrolment(xia, codeAt(secret, server.clock.now()), {}, server.ctx)).ok, true);
    const browser = await pastPassword('xia');
    const codePage = await (await browser.request(STEP)).text();
    assert.match(codePage, /Enter the code from your authenticator app/, 'the app first: it works without JavaScript');
    assert.match(codePage, /<a href="\/login\/second-factor\?method=passkey">Use a passkey instead<\/a>/);
    assert.match(codePage, /Use a recovery code instead/);
    const passkeyPage = await (await browser.request(`${STEP}?method=passkey`)).text();
    assert.match(passkeyPage, /data-passkey-note data-otherwise="Without it, use your authenticator app instead\.">/);
    assert.match(passkeyPage, /Use your authenticator app instead/);
    const done = await answer(browser, authenticator.assert((await options(browser)).challenge, { origin: server.url }));
    assert.equal(done.status, 200, await done.clone().text());
    assert.ok(await signedIn(browser));
    server.clock.advance(30);
    const withCode = await pastPassword('xia');
    const page = await (await withCode.request(STEP)).text();
    const typed = await withCode.request(STEP, { form: { ...formFields(page, STEP), code: codeAt(secret, server.clock.now()) } });
    assert.equal(typed.status, 303, 'the code form, as before');
  });

  it('steps up a password-only session with the passkey when the app names the mfa class', async () => {
    const { authenticator, console } = await userWithPasskey('vic');
    const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', state: 's', acr_values: ACR_MFA });
    const asked = await console.request(`/api/developers/oauth2/authorize?${query}`);
    assert.equal(asked.status, 302);
    assert.equal(asked.headers.get('location'), STEP, 'the passkey, without the password again');
    const done = await answer(console, authenticator.assert((await options(console)).challenge, { origin: server.url }));
    assert.equal(done.status, 200, await done.clone().text());
    const code = await console.authorizeCode(query, { tenant: 'acme', username: 'vic', password: PASSWORD });
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code });
    const claims = decodeJwt(String(token.body.id_token));
    assert.equal(claims.acr, ACR_MFA);
    assert.deepEqual(claims.amr, ['pwd', 'hwk', 'user', 'mfa']);
  });

  it('shows the passkeys on the Security page, linking to them and back; removing the last one ends the second step', async () => {
    const wes = await addUser(server, server.tenant.id, 'wes');
    const browser = await consoleAs(server, 'acme', 'wes');
    const none = await (await browser.request('/console/security')).text();
    assert.match(none, /<h2 id="passkeys-heading">Passkeys <span class="badge">None<\/span><\/h2>/);
    assert.match(none, /<a href="\/console\/security\/passkeys">Add a passkey<\/a>/);
    await addPasskey(browser, server.url, 'Laptop');
    await addPasskey(browser, server.url, 'Key');
    const two = await (await browser.request('/console/security')).text();
    assert.match(two, /<span class="badge verified">2 passkeys<\/span>/);
    assert.match(two, /<a href="\/console\/security\/passkeys">Manage your passkeys<\/a>/);
    const list = await (await browser.request('/console/security/passkeys')).text();
    assert.match(list, /<a href="\/console\/security">← Security<\/a>/);
    for (const passkey of await server.store.passkeys.listForUser(wes.id)) {
      const path = `/console/security/passkeys/${passkey.id}/remove`;
      await followDone(browser, await submit(browser, path, path));
    }
    assert.match(await (await browser.request('/console/security')).text(), /<span class="badge">None<\/span>/);
    const later = await new Browserless(server.url).signIn('acme', 'wes', PASSWORD, '/console');
    assert.equal(later.headers.get('location'), '/console', 'without passkeys the password is enough again');
  });
});
