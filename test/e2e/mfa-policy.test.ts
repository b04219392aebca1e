// The MFA policy in a real Chromium (docs/security.md "MFA policy"): an admin sets "Everyone" on
// the Users page, and having no second factor herself is sent to the Security page at once, with
// the banner; every other page waits; she sets up an authenticator app (the test computes the code
// from the key shown, as an app would) and the console opens again. The Users page, the restricted
// Security page and the setup pass axe-core and the page checks at 375 and 1440 px (screenshots in
// test-results/console/mfa-*.png).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { inspect, watch } from '../console/browser-checks.ts';

describe('the MFA policy in a real browser', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let page: Page;
  let trouble: string[];

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
  const path = () => new URL(page.url()).pathname;
  const code = (key: string) => {
    server.clock.advance(30);
    return new TOTP({ secret: Secret.fromBase32(key.replace(/ /g, '')), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: server.clock.now().getTime() });
  };

  it('requires a second factor of everyone: the admin herself enrols before anything else', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const problems: string[] = [];
    await page.goto(`${server.url}/console/users`);
    await page.getByLabel('Account').fill('acme');
    await page.getByLabel('Username').fill('jane');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([pathIs('/console/users'), page.getByRole('button', { name: 'Sign in' }).click()]);
    problems.push(...(await inspect(page, 'mfa-users-account-security')));

    await page.getByRole('radio', { name: 'Everyone' }).check();
    await Promise.all([pathIs('/console/security'), page.getByRole('button', { name: 'Save account security' }).click()]);
    assert.match(await page.getByRole('alert').innerText(), /Set up a second factor to continue/);
    problems.push(...(await inspect(page, 'mfa-enrol-required')));
    for (const elsewhere of ['/console/connections', '/console/apps', '/console/users']) {
      await page.goto(`${server.url}${elsewhere}`);
      assert.equal(path(), '/console/security', `${elsewhere} waits for the enrolment`);
    }

    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Set up an authenticator app' }).click()]);
    const key = await page.getByLabel('Key', { exact: true }).inputValue();
    problems.push(...(await inspect(page, 'mfa-enrol-setup')));
    await page.getByLabel('Code', { exact: true }).fill(code(key));
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Turn on' }).click()]);
    assert.equal(await page.getByText('Set up a second factor to continue').count(), 0, 'the banner is gone');
    await page.goto(`${server.url}/console/users`);
    assert.equal(path(), '/console/users', 'the console opens again');
    assert.equal(await page.getByRole('radio', { name: 'Everyone' }).isChecked(), true);
    assert.deepEqual([...problems, ...trouble], []);
  });
});
