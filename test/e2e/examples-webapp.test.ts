// examples/webapp in a real Chromium against a real Gatehouse: the example's own server, the real
// login and consent pages, tokens in sessionStorage, refresh (button, after a 401, and on a timer
// before expiry), sign-out revoking the tokens, Cancel on consent, and a tenant host's session.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TokenSet } from '@gatehouse/client';
import type { RunningExample } from '../../examples/shared/http.ts';
import { startWebappExample } from '../../examples/webapp/server.ts';
import { createUser } from '../../src/platform/accounts.ts';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { exampleScreenshot, inspectExamplePage, pageTrouble, registerExampleApp } from '../helpers/example-apps.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { AUTHORIZE_PATH, signIn } from './browser-steps.ts';
import { freePort } from '../../scripts/free-port.ts';

describe('examples/webapp in a real browser', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let example: RunningExample;
  let onTenantHost: RunningExample;
  let clientId: string;
  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    const port = await freePort();
    ({ clientId } = await registerExampleApp(server, 'webapp', port, 'Example web app'));
    example = await startWebappExample({ gatehouseUrl: server.url, clientId, port });
    const tenantPort = await freePort();
    const tenantApp = await registerExampleApp(server, 'webapp', tenantPort, 'Example web app on acme');
    onTenantHost = await startWebappExample({ gatehouseUrl: server.url, clientId: tenantApp.clientId, port: tenantPort, tenant: 'acme' });
  });
  after(async () => {
    await example?.close();
    await onTenantHost?.close();
    await browser?.close();
    await server.close();
  });

  const storedTokens = async (page: Page) =>
    JSON.parse((await page.evaluate(() => sessionStorage.getItem('example-webapp.tokens'))) ?? 'null') as TokenSet | null;
  const row = (page: Page, list: string, term: string) => page.locator(`#${list} dt:text-is("${term}") + dd`).innerText();
  const notice = (page: Page, text: RegExp) => page.locator('#notice').filter({ hasText: text }).waitFor({ timeout: 10_000 });

  async function connect(page: Page, app: RunningExample): Promise<URL> {
    await page.goto(`${app.url}/webapp`);
    await Promise.all([page.waitForURL((url) => url.pathname === AUTHORIZE_PATH), page.getByRole('button', { name: 'Connect to Gatehouse' }).click()]);
    return new URL(page.url());
  }

  async function newContext(b: Browser): Promise<BrowserContext> {
    return b.newContext({ viewport: { width: 1280, height: 860 } });
  }

  it('Connect → sign in → Allow → profile; refresh by button, after a 401 and before expiry; sign-out revokes', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const context = await newContext(browser);
    // The page's timers run on a clock the test can move: the proactive refresh is due in ~59 minutes.
    await context.clock.install();
    const page = await context.newPage();
    const trouble = pageTrouble(page);
    const problems: string[] = [];

    await page.goto(`${example.url}/webapp`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connect this app to Gatehouse');
    problems.push(...(await inspectExamplePage(page, 'webapp-1-start')));
    const asked = await connect(page, example);
    assert.equal(asked.origin, server.url);
    assert.equal(asked.searchParams.get('scope'), 'profile source:w offline_access');
    assert.equal(asked.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(asked.searchParams.get('redirect_uri'), `${example.url}/webapp`);
    await exampleScreenshot(page, 'webapp-2-login');

    await signIn(page);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Example web app wants to access your account');
    assert.equal(await page.locator('.scopes li').count(), 3);
    await exampleScreenshot(page, 'webapp-3-consent');
    await Promise.all([page.waitForURL(`${example.url}/webapp`), page.click('button[name=decision][value=allow]')]);

    await page.locator('#profile').filter({ hasText: 'jane' }).waitFor({ timeout: 10_000 });
    assert.equal(page.url(), `${example.url}/webapp`, 'the code is gone from the address bar');
    assert.equal(await row(page, 'profile', 'Name'), 'Jane Doe');
    assert.equal(await row(page, 'profile', 'Account'), 'acme', 'from token_info');
    assert.equal(await row(page, 'tokens', 'Scope'), 'profile source:w offline_access');
    assert.match(await row(page, 'tokens', 'Refresh token'), /^held/);
    problems.push(...(await inspectExamplePage(page, 'webapp-4-profile')));
    const first = await storedTokens(page);
    assert.ok(first?.refreshToken, 'offline_access brought a refresh token');

    await page.getByRole('button', { name: 'Refresh tokens' }).click();
    await notice(page, /Tokens refreshed/);
    const second = await storedTokens(page);
    assert.notEqual(second?.accessToken, first.accessToken);
    assert.equal(await row(page, 'tokens', 'Renewed'), '1 time');
    await exampleScreenshot(page, 'webapp-5-refreshed');

    // An hour passes at Gatehouse only: the page still believes its token and gets a 401, then refreshes and retries.
    server.clock.advance(3601);
    await page.getByRole('button', { name: 'Reload profile' }).click();
    await notice(page, /refused the access token, so the app refreshed it/);
    const third = await storedTokens(page);
    assert.notEqual(third?.accessToken, second?.accessToken);
    assert.equal(await row(page, 'profile', 'Username'), 'jane');

    // 59 minutes pass in the page: its timer refreshes a minute before the token expires.
    await page.clock.fastForward('59:05');
    await notice(page, /Refreshed automatically 60 s before/);
    const fourth = await storedTokens(page);
    assert.ok(fourth?.refreshToken);
    assert.notEqual(fourth.accessToken, third?.accessToken);
    assert.equal(await row(page, 'tokens', 'Renewed'), '3 times');

    await page.getByRole('button', { name: 'Sign out and revoke' }).click();
    await notice(page, /Signed out: Gatehouse revoked the tokens/);
    assert.ok(await page.getByRole('button', { name: 'Connect to Gatehouse' }).isVisible());
    assert.equal(await storedTokens(page), null, 'nothing left in sessionStorage');
    await exampleScreenshot(page, 'webapp-6-signed-out');

    for (const accessToken of [first.accessToken, fourth.accessToken]) {
      const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(me.status, 401, 'a revoked grant ends its access tokens');
    }
    const again = await postForm(tokenUrl(server.url), { client_id: clientId, grant_type: 'refresh_token', refresh_token: fourth.refreshToken });
    assert.equal(again.body.error, 'invalid_grant');
    assert.deepEqual([...problems, ...trouble], []);
    await context.close();
  });

  it('Cancel on the consent page: the page shows the access_denied that handleCallback raised', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const context = await newContext(browser);
    const page = await context.newPage();
    const trouble = pageTrouble(page);
    const problems: string[] = [];
    // Someone who has not allowed the app yet, so that the consent page is shown.
    await createUser({ tenantId: server.tenant.id, username: 'kim', password: PASSWORD }, server.ctx);
    await connect(page, example);
    await signIn(page, 'acme', 'kim');
    await Promise.all([page.waitForURL(`${example.url}/webapp`), page.getByRole('button', { name: 'Cancel' }).click()]);
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: 'access_denied' }).waitFor({ timeout: 10_000 });
    assert.equal(await alert.innerText(), 'Gatehouse answered access_denied: The user denied the request');
    assert.ok(await page.getByRole('button', { name: 'Connect to Gatehouse' }).isVisible());
    assert.equal(await storedTokens(page), null);
    problems.push(...(await inspectExamplePage(page, 'webapp-cancelled')));
    assert.deepEqual([...problems, ...trouble], []);
    await context.close();
  });

  it("on acme's host a signed-in user skips the login the second time", async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const context = await newContext(browser);
    const page = await context.newPage();
    const tenantHost = `acme.localhost:${new URL(server.url).port}`;
    const asked = await connect(page, onTenantHost);
    assert.equal(asked.host, tenantHost);
    assert.equal(await page.getByLabel('Account').count(), 0, "the tenant host's login asks no account");
    await exampleScreenshot(page, 'webapp-tenant-login');
    await page.getByLabel('Username').fill('jane');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname === AUTHORIZE_PATH), page.getByRole('button', { name: 'Sign in' }).click()]);
    await Promise.all([page.waitForURL(`${onTenantHost.url}/webapp`), page.click('button[name=decision][value=allow]')]);
    await page.locator('#profile').filter({ hasText: 'jane' }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Sign out and revoke' }).click();
    await notice(page, /Signed out/);

    // Second authorize: the Gatehouse session on acme's host is still there, and so is the consent.
    const gatehousePages: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).host === tenantHost && response.request().resourceType() === 'document') gatehousePages.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    await Promise.all([page.waitForURL(`${onTenantHost.url}/webapp**`), page.getByRole('button', { name: 'Connect to Gatehouse' }).click()]);
    await page.locator('#profile').filter({ hasText: 'jane' }).waitFor({ timeout: 10_000 });
    assert.deepEqual(gatehousePages, [`302 ${AUTHORIZE_PATH}`], 'straight back with a code: no login page, no consent page');
    await exampleScreenshot(page, 'webapp-tenant-second-visit');
    await context.close();
  });
});
