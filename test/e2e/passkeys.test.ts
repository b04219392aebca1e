// In a real browser with Chromium's virtual authenticator (CDP WebAuthn; a platform authenticator
// with resident keys and user verification): add a passkey in the console, sign out, sign in with
// it and no password, sign in again with the password and the passkey as the second step, then
// remove it. Every page passes axe and the page checks at 375 and 1440 px.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { inspect, watch } from '../console/browser-checks.ts';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';

const PAGE = '/console/security/passkeys';

describe('passkeys in a real browser', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  let trouble: string[];
  const problems: string[] = [];

  const credentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;

  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    if (!browser) return;
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    trouble = watch(page, server.url);
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    }));
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  it('adds a passkey in the console', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await page.goto(`${server.url}/login?return_to=${encodeURIComponent(PAGE)}`);
    await page.getByLabel('Account').fill('acme');
    await page.getByLabel('Username').fill('jane');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL(`${server.url}${PAGE}`), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    assert.match(await page.locator('main').innerText(), /You have no passkeys yet/);
    assert.equal(await page.getByRole('button', { name: 'Add a passkey' }).isEnabled(), true, 'the script enabled the button');
    assert.equal(await page.locator('[data-passkey-note]').isHidden(), true, 'and hid the no-script note');
    problems.push(...(await inspect(page, 'passkeys-empty')));
    await page.getByLabel('Name').fill('Test laptop');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Add a passkey' }).click()]);
    assert.match(await page.getByRole('status').first().innerText(), /The passkey Test laptop was added/);
    const card = await page.locator('li.card').first().innerText();
    assert.match(card, /Test laptop/);
    assert.match(card, /Device-bound/);
    const [credential] = await credentials();
    assert.equal(credential?.isResidentCredential, true, 'a discoverable credential');
    problems.push(...(await inspect(page, 'passkeys-list')));
    await page.goto(`${server.url}/console/security`);
    assert.match(await page.getByRole('region', { name: /^Passkeys/ }).innerText(), /1 passkey/);
    problems.push(...(await inspect(page, 'security-passkeys')));
    await Promise.all([page.waitForURL(`${server.url}${PAGE}`), page.getByRole('link', { name: 'Manage your passkeys' }).click()]);
    assert.equal(await page.getByRole('link', { name: '← Security' }).count(), 1, 'and back');
  });

  it('signs out, then signs in with the passkey and no password', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign out' }).click()]);
    await page.goto(`${server.url}/login?return_to=${encodeURIComponent('/console/connections')}`);
    assert.equal(await page.getByRole('heading', { name: 'Sign in with a passkey' }).count(), 1);
    problems.push(...(await inspect(page, 'login-with-passkey')));
    await Promise.all([page.waitForURL(`${server.url}/console/connections`), page.getByRole('button', { name: 'Use a passkey' }).click()]);
    assert.match(await page.locator('header').innerText(), /jane/);
    const events = await server.store.audit.list({ limit: 5 });
    assert.ok(events.some((e) => e.type === 'passkey_sign_in' && /amr hwk user mfa/.test(e.detail)), 'audited, with how');
    assert.equal((await credentials())[0]?.signCount, 2, 'the authenticator counted registration and sign-in');
  });

  it('signs out, then signs in with the password and the passkey as the second step', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign out' }).click()]);
    await page.goto(`${server.url}/login?return_to=${encodeURIComponent('/console/connections')}`);
    await page.getByLabel('Account').fill('acme');
    await page.getByLabel('Username').fill('jane');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL(`${server.url}/login/second-factor`), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    assert.equal(await page.getByRole('heading', { name: 'Use your passkey' }).count(), 1);
    const button = page.getByRole('button', { name: 'Use a passkey' });
    await button.waitFor();
    assert.equal(await button.isEnabled(), true, 'the script enabled the button');
    problems.push(...(await inspect(page, 'second-factor-passkey')));
    await Promise.all([page.waitForURL(`${server.url}/console/connections`), button.click()]);
    assert.match(await page.locator('header').innerText(), /jane/);
    const events = await server.store.audit.list({ limit: 5 });
    assert.ok(events.some((e) => e.type === 'passkey_sign_in' && /second factor .*amr pwd hwk user mfa/.test(e.detail)), 'audited, with how');
    assert.ok(events.some((e) => e.type === 'login_succeeded' && e.detail === 'password and passkey'));
    assert.equal((await credentials())[0]?.signCount, 3, 'registration, passwordless, second step');
  });

  it('removes the passkey after asking', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await page.goto(`${server.url}${PAGE}`);
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Remove… Test laptop' }).click()]);
    problems.push(...(await inspect(page, 'passkeys-remove')));
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Remove passkey' }).click()]);
    assert.equal(new URL(page.url()).pathname, PAGE);
    assert.match(await page.getByRole('status').first().innerText(), /The passkey Test laptop was removed/);
    assert.deepEqual(await server.store.passkeys.listForUser(server.user.id), []);
  });

  it('had no accessibility or layout problem, and nothing broke or loaded from elsewhere', (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    assert.deepEqual([...problems, ...trouble], []);
  });
});
