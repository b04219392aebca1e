// The login, consent and error pages as people see them, at phone and desktop width: readable,
// labelled, keyboard-usable, nothing loaded from elsewhere, nothing blocked by the page's CSP.
// Screenshots land in test-results/screenshots/ for a human to look at.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { BACKEND_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { authorizeUrl, screenshotAtWidths, signIn, WIDTHS } from './browser-steps.ts';
import { invisibleFocus, pageProblems } from './page-checks.ts';

describe('pages in a real browser', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  /** A fresh page that records console errors (CSP violations land there) and foreign requests. */
  async function watchedPage(b: Browser): Promise<{ page: Page; trouble: string[] }> {
    const context = await b.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const trouble: string[] = [];
    page.on('console', (message) => {
      // Failed loads are judged below by their responses; this keeps CSP refusals and script errors.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) trouble.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      const request = response.request();
      // The page itself may be an error (400, 401); what it pulls in may not. Browsers ask for
      // /favicon.ico on their own, and a 404 there is no fault of the page.
      const isPart = request.resourceType() !== 'document' && !request.url().endsWith('/favicon.ico');
      if (isPart && response.status() >= 400) trouble.push(`failed to load: ${request.url()} (${response.status()})`);
    });
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== server.url && url.protocol !== 'data:') trouble.push(`loads from elsewhere: ${request.url()}`);
    });
    return { page, trouble };
  }

  /** Runs the checks at each width and takes the screenshots. */
  async function inspect(page: Page, name: string): Promise<string[]> {
    const problems: string[] = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      problems.push(...(await pageProblems(page)).map((p) => `${name} @${width}px: ${p}`));
    }
    problems.push(...(await invisibleFocus(page)).map((p) => `${name}: ${p}`));
    await screenshotAtWidths(page, name);
    return problems;
  }

  const backendAuthorize = (scope: string) =>
    authorizeUrl(server, { client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope, state: 'xyz' });

  it('login and consent pages are labelled, readable and fit a phone', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const { page, trouble } = await watchedPage(browser);
    await page.goto(backendAuthorize('profile source:w alert:d offline_access'));
    const problems = await inspect(page, 'login');

    await signIn(page);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Backend app wants to access your account');
    problems.push(...(await inspect(page, 'consent')));
    const footer = await page.locator('main').innerText();
    assert.match(footer, /By clicking Allow you allow this app to use your information/);
    assert.match(footer, /You can view and remove app access/);

    assert.deepEqual([...problems, ...trouble], []);
    await page.context().close();
  });

  it('a wrong password keeps the person on the login page with a readable error', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const { page, trouble } = await watchedPage(browser);
    await page.goto(backendAuthorize('profile'));
    await page.getByLabel('Account').fill('acme');
    await page.getByLabel('Username').fill('jane');
    await page.getByLabel('Password').fill('not the password');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /account, username or password is not right/);
    assert.equal(await page.getByLabel('Username').inputValue(), 'jane', 'the username stays filled in');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password does not come back');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'password', 'the cursor waits in the password field');
    const problems = await inspect(page, 'login-error');
    assert.deepEqual([...problems, ...trouble], []);
    await page.context().close();
  });

  it('an unknown client_id shows an error page instead of redirecting', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const { page, trouble } = await watchedPage(browser);
    const response = await page.goto(
      authorizeUrl(server, { client_id: 'ffffffffffffffffffff', response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile', state: 'xyz' }),
    );
    assert.equal(response?.status(), 400);
    assert.equal(new URL(page.url()).origin, server.url, 'stays on the server');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'This app cannot sign you in');
    assert.match(await page.locator('main').innerText(), /No app with this client_id is registered/);
    const problems = await inspect(page, 'error');
    assert.deepEqual([...problems, ...trouble], []);
    await page.context().close();
  });
});
