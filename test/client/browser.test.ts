// @gatehouse/client in a real Chromium: bundled for the browser with esbuild (no Node built-ins
// may sneak in), served on the app's own origin, signing in through the real pages, keeping
// tokens in sessionStorage and calling the server across origins.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { APP_ORIGIN, serveAppOrigin } from '../e2e/app-origin.ts';
import { screenshotAtWidths, signIn } from '../e2e/browser-steps.ts';
import { sdkPage } from './sdk-page.ts';

const ENTRY = fileURLToPath(new URL('../../client/src/index.ts', import.meta.url));

/** The SDK as one ES module for browsers; platform 'browser' fails the build on any Node import. */
async function bundleSdk(): Promise<string> {
  const result = await build({ entryPoints: [ENTRY], bundle: true, format: 'esm', platform: 'browser', target: 'chrome120', write: false, logLevel: 'silent' });
  const [file] = result.outputFiles;
  assert.ok(file, 'esbuild produced the bundle');
  return file.text;
}

describe('@gatehouse/client in Chromium', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let bundle: string;
  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    bundle = await bundleSdk();
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  it('signs in with PKCE, keeps tokens in sessionStorage, shares one refresh, retries after 401, signs out', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    assert.doesNotMatch(bundle, /\bfrom\s*["']node:|require\(/, 'the bundle needs nothing from Node');
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    // A page answered through CDP counts as public address space; let it call the loopback server.
    await context.grantPermissions(['local-network-access'], { origin: APP_ORIGIN });
    const page = await context.newPage();
    const html = sdkPage({ server: server.url, clientId: server.webapp.clientId, redirectUri: WEBAPP_REDIRECT });
    await serveAppOrigin(page, (url) => {
      if (url.pathname === '/webapp') return { status: 200, contentType: 'text/html; charset=utf-8', body: html };
      if (url.pathname === '/sdk.js') return { status: 200, contentType: 'text/javascript; charset=utf-8', body: bundle };
      return { status: 404, contentType: 'text/plain', body: 'not found' };
    });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // Chromium logs every 4xx as an error; the page causes one 401 on purpose (and the favicon
    // 404s). Anything else logged as an error, a CORS refusal above all, is a problem.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
    });
    const status = page.locator('#status');
    const outcome = async (word: RegExp) => {
      await status.filter({ hasText: word }).waitFor({ timeout: 15_000 });
      return JSON.parse((await status.getAttribute('data-outcome')) ?? '{}') as Record<string, unknown>;
    };

    await page.goto(WEBAPP_REDIRECT);
    assert.equal(await status.innerText(), 'signed out', problems.join('\n'));
    await Promise.all([page.waitForURL((url) => url.origin === server.url), page.getByRole('button', { name: 'Sign in with Gatehouse' }).click()]);
    const asked = new URL(page.url());
    assert.equal(asked.searchParams.get('client_id'), server.webapp.clientId);
    assert.equal(asked.searchParams.get('response_type'), 'code');
    assert.equal(asked.searchParams.get('scope'), 'profile offline_access');
    assert.equal(asked.searchParams.get('code_challenge_method'), 'S256');
    assert.match(asked.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(asked.searchParams.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);

    await signIn(page);
    await Promise.all([page.waitForURL(`${APP_ORIGIN}/webapp?**`), page.click('button[name=decision][value=allow]')]);
    const done = await outcome(/done|failed/);
    assert.equal(done.error, undefined, `${String(done.error)}\n${problems.join('\n')}`);
    assert.deepEqual(done, {
      pendingCleared: true,
      tokensInSessionStorage: true,
      scope: 'profile offline_access',
      username: 'jane',
      tokenInfo: { active: true, tenant_id: 'acme', username: 'jane', scope: 'profile offline_access' },
      concurrentStatuses: [200, 200, 200, 200, 200],
      refreshesForFive: 1,
      rotated: true,
      afterRetry: 200,
      tokenRequests: 3, // the code exchange, the shared refresh, the refresh after the 401
    });
    assert.equal(new URL(page.url()).search, '', 'the spent code left the address bar');
    await screenshotAtWidths(page, 'client-sdk-signed-in');

    // A reload finds the tokens in sessionStorage.
    await page.reload();
    const resumed = await outcome(/resumed|failed|signed out/);
    assert.equal(resumed.resumedAs, 'jane');

    await page.getByRole('button', { name: 'Sign out' }).click();
    const loggedOut = await outcome(/logged out|failed/);
    assert.deepEqual(loggedOut.afterLogout, { stored: null, active: false }, 'tokens forgotten and revoked on the server');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
