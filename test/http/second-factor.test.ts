// Second factors over HTTP, as a browser uses them: enrol an authenticator app on the console's
// Security page (confirmed with a code, recovery codes shown once), sign in with password + code,
// a replayed code refused, a recovery code working once, new codes voiding the old, turning it
// off, the rate limit, the pending sign-in's cookie (forged, expired, used), and step-up from an
// authorization request's acr_values with amr/acr in the ID token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { codeAt } from '../../src/platform/totp.ts';
import { ACR_MFA, ACR_PASSWORD } from '../../src/oauth/acr.ts';
import { Browserless, authorizeQuery, formFields } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { addUser, consoleAs, followDone, submit } from '../console/console-client.ts';

const STEP = '/login/second-factor';
const SECURITY = '/console/security';

/** What enrolling left: the key (as an app would read it) and the recovery codes shown once. */
interface Enrolled {
  secret: string;
  recoveryCodes: string[];
}

const secretOn = (page: string) => (/id="totp-secret" type="text" readonly value="([A-Z2-7 ]+)"/.exec(page)?.[1] ?? assert.fail('the page shows the key')).replace(/ /g, '');
const recoveryCodesOn = (page: string) => [...page.matchAll(/<li>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{2})<\/li>/g)].map((m) => m[1] ?? '');

function suite(name: string, body: (get: () => TestServer) => void, options: { rateLimits?: boolean } = {}) {
  forEachStore(name, (kind) => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ store: kind.name, ...options });
    });
    after(() => server.close());
    body(() => server);
  });
}

/** A code of the next 30-second step (the clock moves on, so no code is a replay of the last one). */
function nextCode(server: TestServer, secret: string): string {
  server.clock.advance(30);
  return codeAt(secret, server.clock.now());
}

async function enrol(server: TestServer, browser: Browserless): Promise<Enrolled> {
  const started = await submit(browser, SECURITY, `${SECURITY}/totp`);
  const { page } = await followDone(browser, started);
  const secret = secretOn(page);
  assert.match(page, /<svg[^>]*>[\s\S]*<\/svg>/, 'the QR code is inline SVG');
  const confirmed = await submit(browser, SECURITY, `${SECURITY}/totp/confirm`, { code: nextCode(server, secret) });
  const done = await followDone(browser, confirmed);
  const recoveryCodes = recoveryCodesOn(done.page);
  assert.equal(recoveryCodes.length, 10, 'ten recovery codes, shown once');
  return { secret, recoveryCodes };
}

/** Signs in with the password: the answer leads to the second step. */
async function password(server: TestServer, browser: Browserless, username: string, returnTo = '/console'): Promise<string> {
  const response = await browser.signIn('acme', username, PASSWORD, returnTo);
  assert.equal(response.status, 303);
  assert.equal(response.headers.get('location'), STEP, 'on to the second step');
  assert.ok(browser.cookie('gh_pending'), 'a pending sign-in cookie');
  const page = await (await browser.request(STEP)).text();
  return page;
}

/** A console browser signed in with password and code. */
async function consoleWithCode(server: TestServer, username: string, secret: string): Promise<Browserless> {
  const browser = new Browserless(server.url);
  await password(server, browser, username);
  assert.equal((await postCode(browser, nextCode(server, secret))).status, 303);
  return browser;
}

async function postCode(browser: Browserless, code: string, method = 'totp'): Promise<Response> {
  const page = await (await browser.request(`${STEP}?method=${method}`)).text();
  return browser.request(STEP, { form: { ...formFields(page, STEP), code } });
}

const signedIn = async (browser: Browserless) => (await browser.request('/console/connections')).status === 200;
const events = async (server: TestServer, type: string) => (await server.store.audit.list({ tenantId: server.tenant.id, limit: 500 })).filter((e) => e.type === type);

suite('second factors: enrolment, sign-in, replay, recovery codes, turning off', (get) => {
  let enrolled: Enrolled;
  let tessSecret = '';
  before(async () => {
    await addUser(get(), get().tenant.id, 'tess');
  });

  it('enrols an authenticator app: a confirming code is needed, CSRF too; the secret is sealed', async () => {
    const server = get();
    const browser = await consoleAs(server, 'acme', 'tess');
    const page = await (await browser.request(SECURITY)).text();
    assert.match(page, /href="\/console\/security" aria-current="page"/, 'a Security tab in the console nav');
    assert.match(page, /Set up an authenticator app/);
    await followDone(browser, await submit(browser, SECURITY, `${SECURITY}/totp`));

    const forged = await submit(browser, SECURITY, `${SECURITY}/totp/confirm`, { code: '000000' }, { csrf: false });
    assert.equal(forged.status, 403, 'no CSRF token: refused');
    for (const code of ['000000', '12345', 'abcdef', '9'.repeat(200)]) {
      const wrong = await submit(browser, SECURITY, `${SECURITY}/totp/confirm`, { code });
      assert.equal(wrong.status, 400, `${code.slice(0, 10)} is refused`);
      assert.match(await wrong.text(), /not right|6 digits/);
    }
    const user = await server.store.users.forLogin(server.tenant.id, 'tess');
    assert.equal((await server.store.secondFactors.totp(user!.id))?.secretSealed, null, 'nothing turned on');

    tessSecret = secretOn(await (await browser.request(SECURITY)).text());
    const confirmed = await submit(browser, SECURITY, `${SECURITY}/totp/confirm`, { code: nextCode(server, tessSecret) });
    const done = await followDone(browser, confirmed);
    enrolled = { secret: '', recoveryCodes: recoveryCodesOn(done.page) };
    assert.equal(enrolled.recoveryCodes.length, 10);
    assert.match(done.page, /10 of 10<\/strong> are left/);
    const again = await (await browser.request(SECURITY)).text();
    assert.equal(recoveryCodesOn(again).length, 0, 'the codes are shown only once');
    assert.doesNotMatch(again, /id="totp-secret"/, 'nor the key');
    const row = await server.store.secondFactors.totp(user!.id);
    assert.ok(row?.secretSealed?.startsWith('v1.'), 'sealed at rest');
    assert.equal((await events(server, 'mfa_enrolled')).length, 1);
  });

  it('signs in with password and code; the ID token says so; a replayed code is refused', async () => {
    const server = get();
    const browser = await consoleAs(server, 'acme', 'jane');
    const setup = await enrol(server, browser);
    enrolled = setup;
    const laptop = new Browserless(server.url);
    const page = await password(server, laptop, 'jane');
    assert.match(page, /Enter the code from your authenticator app/);
    assert.match(page, /Use a recovery code instead/);
    assert.equal(await signedIn(laptop), false, 'no session before the second step');

    for (const [code, message] of [['000000', /not right/], ['12ab56', /6 digits/], ['1'.repeat(200), /6 digits/]] as const) {
      const wrong = await postCode(laptop, code);
      assert.equal(wrong.status, 401);
      assert.match(await wrong.text(), message);
    }
    const code = nextCode(server, setup.secret);
    const ok = await postCode(laptop, code);
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/console');
    assert.equal(laptop.cookie('gh_pending'), undefined, 'the pending cookie is cleared');
    assert.ok(await signedIn(laptop));
    assert.ok((await events(server, 'mfa_failed')).length >= 3, 'failures are audited');

    const phone = new Browserless(server.url);
    await password(server, phone, 'jane');
    const replay = await postCode(phone, code);
    assert.equal(replay.status, 401, 'the same code again is refused');
    assert.match(await replay.text(), /used already/);
    assert.equal(await signedIn(phone), false);
  });

  it('puts amr and acr of the second factor into the ID token', async () => {
    const server = get();
    const browser = new Browserless(server.url);
    const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', state: 's' });
    const first = await browser.request(`/api/developers/oauth2/authorize?${query}`);
    const loginPage = await first.text();
    const toStep = await browser.request('/login', { form: { ...formFields(loginPage, '/login'), tenant: 'acme', username: 'jane', password: PASSWORD } });
    assert.equal(toStep.headers.get('location'), STEP);
    const back = await postCode(browser, nextCode(server, enrolled.secret));
    assert.equal(back.status, 303);
    assert.match(back.headers.get('location') ?? '', /^\/api\/developers\/oauth2\/authorize\?/, 'back to the authorization request');
    const code = await browser.authorizeCode(query, { tenant: 'acme', username: 'jane', password: PASSWORD });
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code });
    const claims = decodeJwt(String(token.body.id_token));
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(claims.acr, ACR_MFA);
  });

  it('takes a recovery code once, and new codes void the old', async () => {
    const server = get();
    const browser = new Browserless(server.url);
    await password(server, browser, 'jane');
    const [first, second] = enrolled.recoveryCodes;
    const used = await postCode(browser, first!.toUpperCase(), 'recovery');
    assert.equal(used.status, 303, 'a recovery code signs in (typed in capitals, too)');
    const recorded = await events(server, 'recovery_code_used');
    assert.equal(recorded.length, 1, 'audited');
    assert.match(recorded[0]!.detail, /9 codes left/);
    const session = await (await browser.request(SECURITY)).text();
    assert.match(session, /9 of 10<\/strong>/, 'the count of codes left');

    const again = new Browserless(server.url);
    await password(server, again, 'jane');
    const reused = await postCode(again, first!, 'recovery');
    assert.equal(reused.status, 401, 'used once only');

    const renewed = await followDone(browser, await submit(browser, SECURITY, `${SECURITY}/recovery-codes`));
    assert.equal(recoveryCodesOn(renewed.page).length, 10);
    assert.equal((await events(server, 'recovery_codes_regenerated')).length, 1);
    const old = await postCode(again, second!, 'recovery');
    assert.equal(old.status, 401, 'an old code no longer works');
    const fresh = await postCode(again, recoveryCodesOn(renewed.page)[0]!, 'recovery');
    assert.equal(fresh.status, 303);
    const idToken = await (async () => {
      const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', state: 's' });
      const code = await again.authorizeCode(query, { tenant: 'acme', username: 'jane', password: PASSWORD });
      const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code });
      return decodeJwt(String(token.body.id_token));
    })();
    assert.deepEqual(idToken.amr, ['pwd', 'mfa'], 'a recovery code is a second factor, but no one-time password');
    assert.equal(idToken.acr, ACR_MFA);
  });

  it('moves to another app: the old one works until the new one is confirmed, then no more', async () => {
    const server = get();
    const oldSecret = enrolled.secret;
    const browser = await consoleWithCode(server, 'jane', oldSecret);
    const { page } = await followDone(browser, await submit(browser, SECURITY, `${SECURITY}/totp`));
    const newSecret = secretOn(page);
    assert.notEqual(newSecret, oldSecret);
    await consoleWithCode(server, 'jane', oldSecret); // still the old app, until the new one is confirmed
    const confirmed = await followDone(browser, await submit(browser, SECURITY, `${SECURITY}/totp/confirm`, { code: nextCode(server, newSecret) }));
    enrolled = { secret: newSecret, recoveryCodes: recoveryCodesOn(confirmed.page) };
    assert.equal(enrolled.recoveryCodes.length, 10, 'new recovery codes with the new app');
    const laptop = new Browserless(server.url);
    await password(server, laptop, 'jane');
    assert.equal((await postCode(laptop, nextCode(server, oldSecret))).status, 401, 'the old app no longer signs in');
    assert.equal((await postCode(laptop, codeAt(newSecret, server.clock.now()))).status, 303, 'the new one does');
  });

  it('refuses a forged, expired or used pending sign-in: back to the password form', async () => {
    const server = get();
    const forged = new Browserless(server.url);
    forged.setCookie('gh_pending', 'ghp_forged');
    const page = await (await forged.request(STEP)).text();
    assert.match(page, /action="\/login"/);
    assert.match(page, /took too long or was already finished/);
    await forged.request('/'); // a CSRF cookie
    const posted = await forged.request(STEP, { form: { csrf: forged.cookie('gh_csrf') ?? '', code: '123456', return_to: '/console' } });
    assert.equal(posted.status, 401);
    assert.match(await posted.text(), /name="return_to" value="\/console"/, 'the same sign-in again');

    const slow = new Browserless(server.url);
    await password(server, slow, 'jane');
    const form = formFields(await (await slow.request(STEP)).text(), STEP);
    server.clock.advance(301);
    const expired = await slow.request(STEP, { form: { ...form, code: codeAt(enrolled.secret, server.clock.now()) } });
    assert.equal(expired.status, 401, 'expired after five minutes');
    assert.match(await expired.text(), /took too long/);
    assert.equal(await signedIn(slow), false);

    const noCsrf = new Browserless(server.url);
    await password(server, noCsrf, 'jane');
    const refused = await noCsrf.request(STEP, { form: { ...formFields(await (await noCsrf.request(STEP)).text(), STEP), csrf: 'f'.repeat(64), code: nextCode(server, enrolled.secret) } });
    assert.equal(refused.status, 403, 'CSRF on the code form');
  });

  it('turns off with a code or the password, not without; then signing in asks for the password only', async () => {
    const server = get();
    const browser = await consoleWithCode(server, 'tess', tessSecret);
    const wrong = await submit(browser, SECURITY, `${SECURITY}/totp/disable`, { code: '000000' });
    assert.equal(wrong.status, 400);
    const none = await submit(browser, SECURITY, `${SECURITY}/totp/disable`, { password: 'not it' });
    assert.equal(none.status, 400);
    const forged = await submit(browser, SECURITY, `${SECURITY}/totp/disable`, { password: PASSWORD }, { csrf: false });
    assert.equal(forged.status, 403);
    const tess = await server.store.users.forLogin(server.tenant.id, 'tess');
    assert.ok((await server.store.secondFactors.totp(tess!.id))?.secretSealed, 'still on');
    const off = await followDone(browser, await submit(browser, SECURITY, `${SECURITY}/totp/disable`, { password: PASSWORD }));
    assert.match(off.page, /authenticator app is off/);
    assert.equal((await events(server, 'mfa_disabled')).length, 1);
    const later = await new Browserless(server.url).signIn('acme', 'tess', PASSWORD, '/console');
    assert.equal(later.headers.get('location'), '/console', 'no second step any more');
  });
});

suite('second factors: the rate limit', (get) => {
  it('answers 429 with Retry-After after repeated wrong codes, even with the right one', async () => {
    const server = get();
    await addUser(server, server.tenant.id, 'rita');
    const setup = await enrol(server, await consoleAs(server, 'acme', 'rita'));
    const browser = new Browserless(server.url);
    await password(server, browser, 'rita');
    for (let i = 0; i < 5; i++) assert.equal((await postCode(browser, '000000')).status, 401);
    // The right code of the next step (within the window, never used): refused while the block lasts.
    const blocked = await postCode(browser, codeAt(setup.secret, new Date(server.clock.now().getTime() + 30_000)));
    assert.equal(blocked.status, 429);
    assert.equal(await signedIn(browser), false);
    const again = await postCode(browser, '000000');
    assert.equal(again.status, 429);
    assert.ok(Number(again.headers.get('retry-after')) >= 1, 'Retry-After');
    assert.match(await again.text(), /Too many attempts/);
  });
}, { rateLimits: true });

suite('second factors: step-up from acr_values', (get) => {
  it('asks a password-only session for the code when the app names the mfa class, and not a user without one', async () => {
    const server = get();
    const browser = await consoleAs(server, 'acme', 'jane');
    const setup = await enrol(server, browser);
    const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', state: 's', acr_values: ACR_MFA });
    // jane's session was signed in with the password only (before the app was set up).
    const asked = await browser.request(`/api/developers/oauth2/authorize?${query}`);
    assert.equal(asked.status, 302);
    assert.equal(asked.headers.get('location'), STEP, 'the code, without the password again');
    const none = await browser.request(`/api/developers/oauth2/authorize?${query}&prompt=none`);
    assert.match(none.headers.get('location') ?? '', /error=interaction_required/, 'prompt=none cannot step up');
    const before = browser.cookie('gh_session') ?? assert.fail('a session');
    const back = await postCode(browser, nextCode(server, setup.secret));
    assert.equal(back.status, 303);
    const after = browser.cookie('gh_session');
    assert.ok(after && after !== before, 'a new session');
    const old = new Browserless(server.url);
    old.setCookie('gh_session', before);
    assert.equal(await signedIn(old), false, 'the password-only session ended');
    const code = await browser.authorizeCode(query, { tenant: 'acme', username: 'jane', password: PASSWORD });
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code });
    const claims = decodeJwt(String(token.body.id_token));
    assert.equal(claims.acr, ACR_MFA);
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);

    await addUser(server, server.tenant.id, 'pat');
    const pat = new Browserless(server.url);
    const patCode = await pat.authorizeCode(query, { tenant: 'acme', username: 'pat', password: PASSWORD });
    const patToken = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code: patCode });
    const patClaims = decodeJwt(String(patToken.body.id_token));
    assert.equal(patClaims.acr, ACR_PASSWORD, 'without a second factor the password does (acr_values is voluntary)');
    assert.deepEqual(patClaims.amr, ['pwd']);
  });

  it('steps up for an essential acr of the claims parameter too, and a session with mfa goes on', async () => {
    const server = get();
    await addUser(server, server.tenant.id, 'sam');
    const browser = await consoleAs(server, 'acme', 'sam');
    const setup = await enrol(server, browser);
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: [ACR_MFA] } } });
    const query = authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', state: 's', claims });
    const asked = await browser.request(`/api/developers/oauth2/authorize?${query}`);
    assert.equal(asked.headers.get('location'), STEP);
    assert.equal((await postCode(browser, nextCode(server, setup.secret))).status, 303);
    const consent = await browser.request(`/api/developers/oauth2/authorize?${query}`);
    assert.equal(consent.status, 200, 'with mfa the request goes on to consent');
    assert.match(await consent.text(), /name="decision"/);
  });
});

describe('second factors: discovery', () => {
  it('advertises both acr values', async () => {
    const server = await startTestServer();
    try {
      const config = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as { acr_values_supported: string[] };
      assert.deepEqual(config.acr_values_supported, [ACR_PASSWORD, ACR_MFA]);
    } finally {
      await server.close();
    }
  });
});
