// "Sign out everywhere" in the console: a person ends every session of theirs (two browsers, this
// one too) after confirming, each ended session notifying the app it signed in; a forged form
// ends nothing; an account admin does the same for a user of the account, never another's; and
// disabling a user tells their sessions' apps too.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { decodeJwt } from 'jose';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { LogoutReceiver } from '../helpers/logout-receiver.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { addUser, consoleAs, csrfOf, post, submit } from './console-client.ts';

forEachStore('console: sign out everywhere', (kind) => {
  let server: TestServer;
  let receiver: LogoutReceiver;
  before(async () => {
    receiver = await LogoutReceiver.start();
    server = await startTestServer({ store: kind.name, appDeps: { logoutDelivery: { intervalSeconds: 0 } } });
    await server.store.apps.update(server.backend.app.id, { backchannelLogoutUri: receiver.uri('/backend') }, server.clock.now());
    await addUser(server, server.tenant.id, 'sam');
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  /** A browser signed in as the user, signed in to the backend app with openid too: the ID token's sid. */
  async function signedInBrowser(username: string): Promise<{ browser: Browserless; sid: string }> {
    const browser = new Browserless(server.url);
    const code = await browser.authorizeCode(authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', state: 's' }), { tenant: 'acme', username, password: PASSWORD });
    const token = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code });
    return { browser, sid: String(decodeJwt(String(token.body.id_token)).sid) };
  }

  const signedIn = async (browser: Browserless) => (await browser.request('/console/connections')).status === 200;
  const sidsReceived = () => receiver.at('/backend').map((r) => String(decodeJwt(r.logoutToken ?? '').sid));

  it('ends every session of the person, this one too, and tells the app of each', async () => {
    const laptop = await signedInBrowser('jane');
    const phone = await signedInBrowser('jane');
    const page = await (await laptop.browser.request('/console/connections')).text();
    assert.match(page, /href="\/console\/sign-out-everywhere"/, 'the connections page offers it');

    const forged = await post(laptop.browser, '/console/sign-out-everywhere', { csrf: 'f'.repeat(64) });
    assert.equal(forged.status, 403, 'a forged form is refused');
    assert.ok((await signedIn(laptop.browser)) && (await signedIn(phone.browser)), 'and ends nothing');

    const done = await submit(laptop.browser, '/console/sign-out-everywhere', '/console/sign-out-everywhere');
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/login?return_to=%2Fconsole', 'to the sign-in page');
    assert.equal(laptop.browser.cookie('gh_session'), undefined, 'the cookie is cleared');
    assert.equal(await signedIn(laptop.browser), false);
    assert.equal(await signedIn(phone.browser), false, 'the other browser is signed out too');

    await receiver.waitFor('/backend', 2);
    assert.deepEqual(sidsReceived().sort(), [laptop.sid, phone.sid].sort(), 'each session told the app');
    const event = (await server.store.audit.list({ tenantId: server.tenant.id, limit: 50 })).find((e) => e.type === 'signed_out_everywhere');
    assert.equal(event?.userId, server.user.id);
    assert.match(event?.detail ?? '', /user "jane": [0-9]+ sessions ended/);
  });

  it('an account admin signs a user of the account out everywhere; another account\'s user is not theirs', async () => {
    const sam = await signedInBrowser('sam');
    const admin = await consoleAs(server, 'acme', 'jane');
    const users = await (await admin.request('/console/users')).text();
    const samId = (await server.store.users.listByTenant(server.tenant.id)).find((u) => u.username === 'sam')?.id ?? assert.fail('sam exists');
    assert.match(users, new RegExp(`href="/console/users/${samId}/sign-out"`));

    const done = await submit(admin, `/console/users/${samId}/sign-out`, `/console/users/${samId}/sign-out`);
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/console/users');
    assert.match(await (await admin.request('/console/users')).text(), /Signed sam out everywhere \(1 session\)/);
    assert.equal(await signedIn(sam.browser), false);
    assert.ok(await signedIn(admin), 'the admin stays signed in');
    await receiver.waitFor('/backend', 3);
    assert.ok(sidsReceived().includes(sam.sid));

    const otto = await post(admin, `/console/users/${server.otherUser.id}/sign-out`, { csrf: csrfOf(admin) });
    assert.equal(otto.status, 404);
  });

  it('disabling a user ends their sessions the same way: the apps are told', async () => {
    const sam = await signedInBrowser('sam');
    const admin = await consoleAs(server, 'acme', 'jane');
    const samId = (await server.store.users.listByTenant(server.tenant.id)).find((u) => u.username === 'sam')?.id ?? assert.fail('sam exists');
    const before = receiver.at('/backend').length;
    assert.equal((await submit(admin, '/console/users', `/console/users/${samId}/disable`)).status, 303);
    await receiver.waitFor('/backend', before + 1);
    assert.ok(sidsReceived().includes(sam.sid));
  });
});
