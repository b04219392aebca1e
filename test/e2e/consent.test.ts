// The seeds' flows in a real Chromium: the real login and consent pages, real redirects, and (for
// the browser app) real cross-origin fetches from http://localhost:4597 to the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { BACKEND_REDIRECT, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { APP_ORIGIN, plainOk, serveAppOrigin } from './app-origin.ts';
import { authorizeUrl, signIn } from './browser-steps.ts';
import { webappPage } from './webapp-page.ts';

describe('authorization in a real browser', () => {
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

  /** A fresh browser profile whose visits to the app's origin are recorded and answered with "ok". */
  async function freshPage(b: Browser): Promise<{ page: Page; appRequests: URL[] }> {
    const context = await b.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const appRequests = await serveAppOrigin(page, plainOk);
    return { page, appRequests };
  }

  it('backend app: sign in, see the scopes, Allow → code → token → /api/users/current', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const { page, appRequests } = await freshPage(browser);
    const state = JSON.stringify({ bla: 'some other data' });
    const response = await page.goto(
      authorizeUrl(server, { client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile source:w', state }),
    );
    assert.equal(response?.status(), 200);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in');
    assert.match(await page.locator('main').innerText(), /to continue to Backend app/);

    await signIn(page);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Backend app wants to access your account');
    assert.match(await page.locator('main').innerText(), /This will allow Backend app to:/);
    const rows = await page.locator('.scopes li').allInnerTexts();
    assert.equal(rows.length, 2, 'one row per scope');
    assert.match(rows[0] ?? '', /^See your profile\b/);
    assert.match(rows[1] ?? '', /^See, Create, Edit Alert sources\b/);
    assert.ok(await page.getByRole('button', { name: 'Cancel' }).isVisible());

    await Promise.all([page.waitForURL(`${APP_ORIGIN}/**`), page.click('button[name=decision][value=allow]')]);
    assert.equal(appRequests.length, 1);
    const back = new URL(page.url());
    assert.equal(`${back.origin}${back.pathname}`, BACKEND_REDIRECT);
    assert.equal(back.searchParams.get('state'), state, 'state comes back byte for byte');
    assert.equal(back.searchParams.get('iss'), server.url);
    const code = back.searchParams.get('code');
    assert.ok(code, 'the redirect carries a code');

    const token = await postForm(tokenUrl(server.url), {
      client_id: server.backend.clientId,
      client_secret: server.backend.clientSecret,
      code,
      grant_type: 'authorization_code',
    });
    assert.equal(token.status, 200);
    assert.equal(token.body.scope, 'profile source:w');
    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${String(token.body.access_token)}`, accept: 'application/json' } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { username?: string }).username, 'jane');
    await page.context().close();
  });

  it('backend app: Cancel sends the user back with error=access_denied and no code', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const { page } = await freshPage(browser);
    await page.goto(
      authorizeUrl(server, { client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'incident', state: 'cancel-me' }),
    );
    await signIn(page);
    await Promise.all([page.waitForURL(`${APP_ORIGIN}/**`), page.getByRole('button', { name: 'Cancel' }).click()]);
    const back = new URL(page.url());
    assert.equal(`${back.origin}${back.pathname}`, BACKEND_REDIRECT);
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 'cancel-me');
    assert.equal(back.searchParams.get('code'), null);
    await page.context().close();
  });

  it("web app (seed 000): the guide's PKCE code, then token and profile fetched cross-origin from the page", async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // A page answered through CDP has no IP address, so Chromium files it under the public address
    // space and asks before it may call loopback. Served from a real localhost it would not ask.
    await context.grantPermissions(['local-network-access'], { origin: APP_ORIGIN });
    const page = await context.newPage();
    const webapp = webappPage({ server: server.url, clientId: server.webapp.clientId, redirectUri: WEBAPP_REDIRECT });
    const appRequests = await serveAppOrigin(page, (url) =>
      url.pathname === '/webapp'
        ? { status: 200, contentType: 'text/html; charset=utf-8', body: webapp }
        : { status: 404, contentType: 'text/plain', body: 'not found' },
    );
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // CORS refusals show only on the console; keep them for the failure message.
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });

    await page.goto(WEBAPP_REDIRECT);
    await Promise.all([page.waitForURL((url) => url.origin === server.url), page.getByRole('button', { name: 'Connect to Gatehouse' }).click()]);
    const asked = new URL(page.url());
    assert.equal(asked.searchParams.get('code_challenge_method'), 'S256');
    assert.match(asked.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);

    await signIn(page);
    const rows = await page.locator('.scopes li').allInnerTexts();
    assert.equal(rows.length, 3);
    assert.match(rows[2] ?? '', /offline/i, 'offline_access is shown to the user too');
    await Promise.all([page.waitForURL(`${APP_ORIGIN}/webapp?**`), page.click('button[name=decision][value=allow]')]);
    assert.ok(new URL(page.url()).searchParams.get('code'));

    const result = page.locator('#result');
    await result.filter({ hasText: /done|failed/ }).waitFor({ timeout: 10_000 });
    const outcome = JSON.parse((await result.getAttribute('data-outcome')) ?? '{}') as Record<string, unknown>;
    assert.deepEqual(pageErrors, []);
    assert.equal(outcome.error, undefined, `the page's fetches failed: ${String(outcome.error)}\n${consoleErrors.join('\n')}`);
    assert.equal(outcome.tokenStatus, 200);
    assert.equal(outcome.scope, 'profile source:w offline_access');
    assert.equal(outcome.hasRefreshToken, true, 'offline_access gives a public client a refresh token');
    assert.equal(outcome.verifierCleared, true);
    assert.equal(outcome.profileStatus, 200);
    assert.equal(outcome.username, 'jane');
    assert.deepEqual(
      appRequests.map((u) => u.pathname),
      ['/webapp', '/webapp'],
      'the app page loads once to start and once with the code',
    );
    await context.close();
  });
});
