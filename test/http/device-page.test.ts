// The /device pages over HTTP: sign-in first (coming back with the code), the code typed in any
// form, wrong codes answered without saying why, user-code guessing limited per session and per
// address with a clear 429 page, CSRF, and apps limited to their account.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browserless, formFields } from '../helpers/browserless.ts';
import { decide, enterCode, publicDeviceApp, signedInPerson, startDevice } from '../helpers/device-flow.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';

const NOT_VALID = /That code is not valid/;

forEachStore('device pages', (kind) => {
  let server: TestServer;
  let clientId: string;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    clientId = (await publicDeviceApp(server)).clientId;
  });
  after(() => server.close());

  it('asks a visitor to sign in first, then comes back to the prefilled code', async () => {
    const device = await startDevice(server, { client_id: clientId, scope: 'profile' });
    const browser = new Browserless(server.url);
    const login = await browser.request(`/device?user_code=${device.user_code}`);
    assert.equal(login.status, 200);
    const html = await login.text();
    const fields = formFields(html, '/login');
    assert.equal(fields.return_to, `/device?user_code=${device.user_code}`);
    const signedIn = await browser.request('/login', { form: { ...fields, tenant: 'acme', username: 'jane', password: PASSWORD } });
    assert.equal(signedIn.headers.get('location'), `/device?user_code=${device.user_code}`);
    const form = await (await browser.request(String(signedIn.headers.get('location')))).text();
    assert.match(form, new RegExp(`name="user_code"[^>]*value="${device.user_code}"`));
  });

  it('takes the code in lower case, without the dash or with spaces, and shows what the app asks for', async () => {
    const person = await signedInPerson(server);
    const device = await startDevice(server, { client_id: clientId, scope: 'profile source:w offline_access' });
    const typed = ` ${device.user_code.replace('-', ' ').toLowerCase()} `;
    const confirm = await enterCode(person, typed);
    assert.equal(confirm.status, 200, confirm.html.slice(0, 500));
    assert.match(confirm.html, /Connect Device CLI \d+ on your device\?/);
    assert.match(confirm.html, new RegExp(`<strong>${device.user_code}</strong>`), 'the code to compare, as the device shows it');
    assert.match(confirm.html, /See <strong>your profile<\/strong>/);
    assert.match(confirm.html, /<strong>Alert sources<\/strong>/);
    assert.match(confirm.html, /by Acme Corp<span class="badge">Unverified<\/span>/);
    assert.match(confirm.html, /name="decision" value="allow"/);
    assert.match(confirm.html, /name="decision" value="deny"/);
  });

  it('answers a wrong, used or expired code with the same words, revealing nothing', async () => {
    const person = await signedInPerson(server, 'jane');
    const used = await startDevice(server, { client_id: clientId, scope: 'profile' });
    await decide(person, used.user_code, 'allow');
    const expired = await startDevice(server, { client_id: clientId, scope: 'profile' });
    server.clock.advance(600);
    for (const code of ['BCDF-GHJK', 'not a code', used.user_code, expired.user_code]) {
      const answer = await enterCode(await signedInPerson(server), code);
      assert.equal(answer.status, 400, code);
      assert.match(answer.html, NOT_VALID, code);
      assert.doesNotMatch(answer.html, /Device CLI/, `${code}: no app named`);
    }
  });

  it("treats a disabled app's code as not valid", async () => {
    const disabled = await publicDeviceApp(server);
    const device = await startDevice(server, { client_id: disabled.clientId, scope: 'profile' });
    await server.store.apps.update(disabled.id, { disabledAt: server.clock.now() }, server.clock.now());
    const answer = await enterCode(await signedInPerson(server), device.user_code);
    assert.equal(answer.status, 400);
    assert.match(answer.html, NOT_VALID);
  });

  it('refuses a form without its CSRF token', async () => {
    const person = await signedInPerson(server);
    const response = await person.request('/device', { form: { user_code: 'BCDF-GHJK', csrf: '0'.repeat(64) } });
    assert.equal(response.status, 403);
    const decision = await person.request('/device/decision', { form: { user_code: 'BCDF-GHJK', decision: 'allow' } });
    assert.equal(decision.status, 403);
  });

  it('tells a user of another account that an app limited to its account is not for them', async () => {
    const limited = await publicDeviceApp(server, { limitToAccount: true });
    const device = await startDevice(server, { client_id: limited.clientId, scope: 'profile' });
    const otto = await signedInPerson(server, 'otto', 'globex');
    const answer = await enterCode(otto, device.user_code);
    assert.equal(answer.status, 403);
    assert.match(answer.html, /limited to the users of the account that registered it/);
  });
});

describe('device pages: guessing user codes is limited', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimits: true });
  });
  after(() => server.close());

  it('per session: after 5 wrong codes a 429 page with Retry-After, even for a right code', async () => {
    const clientId = (await publicDeviceApp(server)).clientId;
    const person = await signedInPerson(server);
    for (let i = 0; i < 5; i++) assert.equal((await enterCode(person, 'BCDF-GHJK')).status, 400);
    const device = await startDevice(server, { client_id: clientId, scope: 'profile' });
    const page = await person.request('/device');
    const blocked = await person.request('/device', { form: { ...formFields(await page.text(), '/device'), user_code: device.user_code } });
    assert.equal(blocked.status, 429);
    assert.match(String(blocked.headers.get('retry-after')), /^\d+$/);
    assert.match(await blocked.text(), /Too many wrong codes\. Try again in \d+ seconds?\./);
    // Once the wait is over, the right code works.
    server.clock.advance(Number(blocked.headers.get('retry-after')));
    assert.equal((await enterCode(person, device.user_code)).status, 200);
  });

  it('per address: new sessions do not reset the count', async () => {
    // 20 per address: four fresh sessions of five wrong codes each, then the address waits.
    server.clock.advance(3600);
    for (let session = 0; session < 4; session++) {
      const person = await signedInPerson(server);
      for (let i = 0; i < 5; i++) await enterCode(person, 'BCDF-GHJK');
    }
    const fresh = await signedInPerson(server);
    const answer = await enterCode(fresh, 'BCDF-GHJK');
    assert.equal(answer.status, 429);
    assert.match(answer.html, /Too many wrong codes/);
  });
});
