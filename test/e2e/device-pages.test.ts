// The device flow's pages in a real Chromium, at phone and desktop width: open the link a device
// shows, sign in, confirm the prefilled code, see the app and the scopes in words, Allow — and the
// device's next poll gets tokens; Deny, and it gets access_denied. Every page passes the checks a
// person would notice (labels, contrast, tap sizes, no sideways scrolling).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { poll, publicDeviceApp, startDevice } from '../helpers/device-flow.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { screenshotAtWidths, WIDTHS } from './browser-steps.ts';
import { pageProblems } from './page-checks.ts';

describe('device pages in a real browser', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let clientId: string;
  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    clientId = (await publicDeviceApp(server, { name: 'Terminal CLI', description: 'Deploys from your laptop' })).clientId;
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  /** Every check at both widths; the page as a person would see it, screenshots kept for people to look at. */
  async function checkPage(page: Page, name: string): Promise<void> {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width < 600 ? 740 : 900 });
      assert.deepEqual(await pageProblems(page), [], `${name} at ${width} px`);
    }
    await screenshotAtWidths(page, name);
  }

  async function signInHere(page: Page): Promise<void> {
    await page.getByLabel('Account').fill('acme');
    await page.getByLabel('Username').fill('jane');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname === '/device'), page.getByRole('button', { name: 'Sign in' }).click()]);
  }

  it('opens the complete link, signs in, confirms the prefilled code, and Allow gives the device its tokens', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const device = await startDevice(server, { client_id: clientId, scope: 'profile source:w offline_access' });
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await page.goto(device.verification_uri_complete);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in');
    assert.match(await page.locator('main').innerText(), /to connect a device to your account/);
    await checkPage(page, 'device-sign-in');
    await signInHere(page);

    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connect a device');
    assert.equal(await page.getByLabel('Code').inputValue(), device.user_code, 'prefilled from verification_uri_complete');
    await checkPage(page, 'device-code');
    await page.getByRole('button', { name: 'Continue' }).click();

    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connect Terminal CLI on your device?');
    assert.equal(await page.locator('.user-code strong').innerText(), device.user_code);
    const main = await page.locator('main').innerText();
    assert.match(main, /Deploys from your laptop/);
    assert.match(main, /Unverified/);
    const rows = await page.locator('.scopes li').allInnerTexts();
    assert.match(rows[0] ?? '', /^See your profile\b/);
    assert.match(rows[1] ?? '', /^See, Create, Edit Alert sources\b/);
    await checkPage(page, 'device-confirm');
    assert.equal((await poll(server, device.device_code, { client_id: clientId })).body.error, 'authorization_pending');

    await page.getByRole('button', { name: 'Allow' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Device connected');
    assert.match(await page.locator('main').innerText(), /Return to your device/);
    await checkPage(page, 'device-done');
    server.clock.advance(5);
    const tokens = await poll(server, device.device_code, { client_id: clientId });
    assert.equal(tokens.status, 200, tokens.text);
    assert.equal(tokens.body.scope, 'profile source:w offline_access');
    await context.close();
  });

  it('types a code by hand at desktop width; a wrong one says so; Deny makes the device hear access_denied', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const device = await startDevice(server, { client_id: clientId, scope: 'profile' });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/device`);
    await signInHere(page);
    await page.getByLabel('Code').fill('bcdf ghjk');
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.match(await page.getByRole('alert').innerText(), /That code is not valid/);
    assert.equal(await page.getByLabel('Code').inputValue(), 'bcdf ghjk', 'what was typed stays, to be corrected');
    await checkPage(page, 'device-code-wrong');

    await page.getByLabel('Code').fill(device.user_code.toLowerCase().replace('-', ''));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Request denied');
    await checkPage(page, 'device-denied');
    assert.equal((await poll(server, device.device_code, { client_id: clientId })).body.error, 'access_denied');
    await context.close();
  });
});
