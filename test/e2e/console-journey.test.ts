// The console's "done when", end to end: from a fresh `npm start` (demo account `demo`, user
// `admin`), create an app in the console, use it in ilert's browser sample flow (PKCE, token and
// profile fetched by the page itself), find it under App connections, and revoke it — after which
// the app's tokens are refused.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { DemoCredentials } from '../../src/cli/demo.ts';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { postForm, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';
import { APP_ORIGIN, serveAppOrigin } from './app-origin.ts';
import { webappPage } from './webapp-page.ts';
import { freePort } from '../../scripts/free-port.ts';
import { spawnTracked } from '../helpers/processes.ts';

const ROOT = join(import.meta.dirname, '../..');
const REDIRECT = `${APP_ORIGIN}/webapp`;

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('from a fresh npm start: create an app, use it, see it, revoke it', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  let output = '';
  let base: string;
  let demo: DemoCredentials;
  let browser: Browser | undefined;

  before(async () => {
    browser = await launchChromium();
    if (!browser) return;
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-journey-'));
    const port = await freePort();
    base = `http://localhost:${port}`;
    // Exactly `npm start`, on an empty data dir; one worker keeps it light.
    child = spawnTracked('npm', ['start'], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, PORT: String(port), GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_WORKERS: '1', GATEHOUSE_SECRET: '', DATABASE_URL: '', REDIS_URL: '', PUBLIC_URL: '' },
    });
    child.stdout?.on('data', (chunk) => (output += String(chunk)));
    child.stderr?.on('data', (chunk) => (output += String(chunk)));
    await until('the server to answer', async () => {
      if (child?.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
      const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
      return ok && existsSync(join(dataDir, 'demo-credentials.json')) ? true : undefined;
    });
    demo = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
  });

  after(async () => {
    await browser?.close();
    // The whole process group npm started (npm, the server); only ours.
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('works in the browser, and revoking stops the tokens', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    assert.equal(demo.tenant, 'demo');
    assert.equal(demo.username, 'admin');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['local-network-access'], { origin: APP_ORIGIN });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));

    // 1. Sign in to the console.
    await page.goto(`${base}/console`);
    await page.getByLabel('Account').fill(demo.tenant);
    await page.getByLabel('Username').fill(demo.username);
    await page.getByLabel('Password').fill(demo.password);
    await Promise.all([page.waitForURL(`${base}/console/apps`), page.getByRole('button', { name: 'Sign in' }).click()]);
    assert.match(await page.locator('main').innerText(), /ilert sample backend/, 'the demo apps are listed');

    // 2. Create an app, and copy its client id.
    await Promise.all([page.waitForURL(`${base}/console/apps/new`), page.getByRole('link', { name: 'Create app' }).click()]);
    await page.getByLabel('Name').fill('My sample webapp');
    await page.getByLabel('What is your app doing?').fill("Runs ilert's sample single-page app.");
    await page.getByLabel('Redirect URLs', { exact: true }).fill(REDIRECT);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Create app' }).click()]);
    assert.match(await page.getByRole('status').first().innerText(), /App created/);
    await page.getByRole('button', { name: 'Copy Client ID' }).click();
    const clientId = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(clientId, /^[0-9a-f]{20}$/);

    // 3. The sample flow: the app's page sends the browser to authorize (PKCE), the user allows,
    //    and the page redeems the code and reads the profile itself.
    const tokenResponses: Record<string, unknown>[] = [];
    page.on('response', (response) => {
      if (response.url() === `${base}/api/developers/oauth2/token` && response.request().method() === 'POST') {
        response.json().then((body: Record<string, unknown>) => tokenResponses.push(body), () => undefined);
      }
    });
    const sample = webappPage({ server: base, clientId, redirectUri: REDIRECT });
    await serveAppOrigin(page, (url) =>
      url.pathname === '/webapp' ? { status: 200, contentType: 'text/html; charset=utf-8', body: sample } : { status: 404, contentType: 'text/plain', body: 'not found' },
    );
    await page.goto(REDIRECT);
    await Promise.all([page.waitForURL((url) => url.origin === base), page.getByRole('button', { name: 'Connect to Gatehouse' }).click()]);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'My sample webapp wants to access your account', 'signed in already: straight to consent');
    await Promise.all([page.waitForURL(`${REDIRECT}?**`), page.getByRole('button', { name: 'Allow' }).click()]);
    const result = page.locator('#result');
    await result.filter({ hasText: /done|failed/ }).waitFor({ timeout: 15_000 });
    const outcome = JSON.parse((await result.getAttribute('data-outcome')) ?? '{}') as Record<string, unknown>;
    assert.equal(outcome.error, undefined, String(outcome.error));
    assert.equal(outcome.tokenStatus, 200);
    assert.equal(outcome.profileStatus, 200);
    assert.equal(outcome.username, 'admin', "the page read the admin's profile with its token");
    const tokens = await until('the token response', () => tokenResponses[0], 5_000);
    const accessToken = String(tokens.access_token);
    const refreshToken = String(tokens.refresh_token);
    assert.equal((await postForm(tokenInfoUrl(base), { token: accessToken })).body.active, true);

    // 4. App connections shows it; revoke it.
    await page.goto(`${base}/console/connections`);
    const card = page.locator('.connection', { hasText: 'My sample webapp' });
    const text = await card.innerText();
    assert.match(text, /Chrome, Linux/);
    assert.match(text, /See your profile/);
    assert.match(text, /See, Create, Edit Alert sources/);
    assert.match(text, /offline access/);
    await Promise.all([page.waitForURL(`${base}/console/connections/*/revoke`), card.getByRole('link', { name: /Revoke access/ }).click()]);
    await Promise.all([page.waitForURL(`${base}/console/connections`), page.getByRole('button', { name: 'Revoke access' }).click()]);
    assert.match(await page.getByRole('status').first().innerText(), /The access of My sample webapp was revoked/);
    assert.equal(await page.locator('.connection', { hasText: 'My sample webapp' }).count(), 0);

    // 5. The app's tokens are refused everywhere it would use them.
    assert.equal((await postForm(tokenInfoUrl(base), { token: accessToken })).body.active, false);
    const me = await fetch(`${base}/api/users/current`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
    assert.equal(me.status, 401);
    const refresh = await postForm(tokenUrl(base), { client_id: clientId, grant_type: 'refresh_token', refresh_token: refreshToken });
    assert.ok(refresh.status >= 400, `the refresh token is refused (status ${refresh.status})`);
    assert.deepEqual(failures, []);
    await context.close();
  });
});
