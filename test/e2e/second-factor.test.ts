// Second factors in a real Chromium, as a person uses them: set up an authenticator app on the
// Security page (the test reads the key shown as text and computes codes from it with otpauth, as
// an app would), sign out, sign in with password and code, then with a recovery code. The Security
// page and the code pages pass axe-core and the page checks at 375 and 1440 px (screenshots in
// test-results/console/), with nothing blocked by the CSP (the QR code is inline SVG).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { inspect, watch } from '../console/browser-checks.ts';

describe('second factors in a real browser', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let page: Page;
  let trouble: string[];
  const problems: string[] = [];

  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    if (!browser) return;
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    trouble = watch(page, server.url);
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  const pathIs = (path: string) => page.waitForURL((url) => url.pathname === path);
  const click = (name: string | RegExp, role: 'button' | 'link' = 'button') => Promise.all([page.waitForEvent('load'), page.getByRole(role, { name }).click()]);
  /** A code of the next step, computed from the key as an authenticator app does (the server's clock moves on, so none is a replay). */
  const code = (key: string) => {
    server.clock.advance(30);
    return new TOTP({ secret: Secret.fromBase32(key.replace(/ /g, '')), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: server.clock.now().getTime() });
  };

  async function signInWithPassword(): Promise<void> {
    await page.goto(`${server.url}/console/security`);
    await page.getByLabel('Account').fill('acme');
    await page.getByLabel('Username').fill('jane');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([pathIs('/login/second-factor'), page.getByRole('button', { name: 'Sign in' }).click()]);
  }

  async function signOut(): Promise<void> {
    await click('Sign out');
    assert.equal(new URL(page.url()).pathname, '/login');
  }

  it('enrols, signs in with password and code, then with a recovery code', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await page.goto(`${server.url}/console/security`);
    await page.getByLabel('Account').fill('acme');
    await page.getByLabel('Username').fill('jane');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([pathIs('/console/security'), page.getByRole('button', { name: 'Sign in' }).click()]);
    problems.push(...(await inspect(page, 'security-off')));

    await click('Set up an authenticator app');
    assert.ok(await page.getByRole('img', { name: /QR code/ }).locator('svg').isVisible(), 'the QR code shows');
    const key = await page.getByLabel('Key', { exact: true }).inputValue();
    assert.match(key, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the key in groups');
    problems.push(...(await inspect(page, 'security-enrol')));
    await page.getByLabel('Code', { exact: true }).fill(code(key));
    await click('Turn on');
    const recoveryCodes = (await page.getByRole('list', { name: 'Your recovery codes' }).innerText()).split('\n').map((line) => line.trim()).filter(Boolean);
    assert.equal(recoveryCodes.length, 10);
    problems.push(...(await inspect(page, 'security-on')));
    await signOut();

    await signInWithPassword();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Enter the code from your authenticator app');
    problems.push(...(await inspect(page, 'second-factor-code')));
    await page.getByLabel('Code').fill('000000');
    await click('Continue');
    assert.match(await page.getByRole('alert').innerText(), /not right/);
    problems.push(...(await inspect(page, 'second-factor-wrong')));
    await page.getByLabel('Code').fill(code(key));
    await Promise.all([pathIs('/console/security'), page.getByRole('button', { name: 'Continue' }).click()]);
    await signOut();

    await signInWithPassword();
    await click('Use a recovery code instead', 'link');
    problems.push(...(await inspect(page, 'second-factor-recovery')));
    await page.getByLabel('Recovery code').fill(recoveryCodes[0] ?? '');
    await Promise.all([pathIs('/console/security'), page.getByRole('button', { name: 'Continue' }).click()]);
    assert.match(await page.locator('main').innerText(), /9 of 10 are left/);
    assert.deepEqual([...problems, ...trouble], []);
  });
});
