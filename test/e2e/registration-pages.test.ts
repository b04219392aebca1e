// In a real browser: the consent page of a client that registered itself says so and names the
// host it sends the browser back to, and platform admins' list of such clients deletes one after
// asking; both pages pass axe and the page checks at phone and desktop width.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { changeUser } from '../../src/platform/accounts.ts';
import { inspect, watch } from '../console/browser-checks.ts';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { register, type Registered } from '../helpers/registration.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { guideCodeChallenge, guideCodeVerifier } from '../helpers/token-client.ts';
import { authorizeUrl, signIn } from './browser-steps.ts';

const REDIRECT = 'http://127.0.0.1:40123/callback';

describe('self-registered clients in a real browser', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let trouble: string[];
  let client: Registered;
  const problems: string[] = [];

  before(async () => {
    server = await startTestServer({ config: { registration: 'open' } });
    await changeUser(server.user, { platformAdmin: true }, {}, server.ctx);
    client = (await register(server.url, { client_name: 'Research assistant with a rather long name', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', software_id: 'assistant', software_version: '2.0.1' })).body as Registered;
    browser = await launchChromium();
    if (!browser) return;
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    trouble = watch(page, server.url);
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  it('shows on consent that the client registered itself, unverified, and where it sends the browser', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const verifier = guideCodeVerifier();
    await page.goto(authorizeUrl(server, { client_id: client.client_id, response_type: 'code', redirect_uri: REDIRECT, scope: 'profile', code_challenge: guideCodeChallenge(verifier), code_challenge_method: 'S256' }));
    await signIn(page);
    const card = await page.locator('.consent').innerText();
    assert.match(card, /registered by the client itself, not verified/);
    assert.match(card, /Sends you back to 127\.0\.0\.1:40123/);
    assert.match(card, /Research assistant with a rather long name wants to access your account/);
    problems.push(...(await inspect(page, 'consent-self-registered')));
    await page.screenshot({ path: '/tmp/dcr-consent.png', fullPage: true });
  });

  it('lists such clients for platform admins and deletes one after asking', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await page.goto(`${server.url}/console/admin/clients`);
    assert.match(await page.locator('main').innerText(), /Research assistant with a rather long name/);
    problems.push(...(await inspect(page, 'admin-clients')));
    await page.screenshot({ path: '/tmp/dcr-admin-clients.png', fullPage: true });
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Delete Research assistant with a rather long name' }).click()]);
    problems.push(...(await inspect(page, 'admin-clients-delete')));
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Delete Research assistant with a rather long name' }).click()]);
    assert.equal(new URL(page.url()).pathname, '/console/admin/clients');
    assert.match(await page.getByRole('status').first().innerText(), /was deleted and its tokens revoked/);
    assert.equal(await server.store.apps.byClientId(client.client_id), undefined);
  });

  it('had no accessibility or layout problem, and nothing broke or loaded from elsewhere', (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    assert.deepEqual([...problems, ...trouble], []);
  });
});
