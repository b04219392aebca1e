// In a real Chromium: prompt=none, =consent, =login and =select_account as an app uses them; the consent page's
// "Not you? Sign in as someone else" and its wildcard warning; the signed-in home page's way on;
// and what a tenant host's session really is (the browser keeps one per host).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../src/platform/accounts.ts';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { APP_ORIGIN, plainOk, serveAppOrigin } from './app-origin.ts';
import { AUTHORIZE_PATH, authorizeUrl, screenshotAtWidths, signIn, WIDTHS } from './browser-steps.ts';
import { pageProblems } from './page-checks.ts';

describe('prompt, switching accounts and the pages around them, in a real browser', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  before(async () => {
    server = await startTestServer();
    await createUser({ tenantId: server.tenant.id, username: 'joe', password: PASSWORD }, server.ctx);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  const backend = (extra: Record<string, string> = {}) =>
    authorizeUrl(server, { client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile', state: 's1', ...extra });

  async function freshPage(b: Browser): Promise<{ page: Page; appRequests: URL[] }> {
    const page = await (await b.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    return { page, appRequests: await serveAppOrigin(page, plainOk) };
  }

  /** Opens a URL that should end at the app, and returns where it ended. */
  async function toApp(page: Page, url: string): Promise<URLSearchParams> {
    await Promise.all([page.waitForURL(`${APP_ORIGIN}/**`), page.goto(url)]);
    return new URL(page.url()).searchParams;
  }

  async function problemsAtWidths(page: Page, name: string): Promise<string[]> {
    const problems: string[] = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      problems.push(...(await pageProblems(page)).map((p) => `${name} @${width}px: ${p}`));
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    return problems;
  }

  it('prompt=none: login_required signed out, a code once the grant is remembered; prompt=consent asks again', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const { page } = await freshPage(browser);
    const signedOut = await toApp(page, backend({ prompt: 'none' }));
    assert.equal(signedOut.get('error'), 'login_required');
    assert.equal(signedOut.get('state'), 's1');
    assert.equal(signedOut.get('iss'), server.url);

    await page.goto(backend({ scope: 'profile schedule' }));
    await signIn(page);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /wants to access your account/);
    await Promise.all([page.waitForURL(`${APP_ORIGIN}/**`), page.click('button[name=decision][value=allow]')]);

    const silent = await toApp(page, backend({ scope: 'profile schedule', prompt: 'none' }));
    assert.match(silent.get('code') ?? '', /^ghc_/, 'a remembered grant: a code without any page');
    assert.equal((await toApp(page, backend({ scope: 'profile schedule:w', prompt: 'none' }))).get('error'), 'consent_required');

    await page.goto(backend({ scope: 'profile schedule', prompt: 'consent' }));
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /wants to access your account/, 'asked again');

    await page.goto(backend({ scope: 'profile schedule', prompt: 'login' }));
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in', 'the password again, despite the session');
    assert.equal(await page.getByLabel('Username').inputValue(), 'jane');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL(`${APP_ORIGIN}/**`), page.getByRole('button', { name: 'Sign in' }).click()]);
    assert.match(new URL(page.url()).searchParams.get('code') ?? '', /^ghc_/, 'then on to the app, asked once');
  });

  it('"Not you? Sign in as someone else" comes back to the same request for the other person; wildcard stands out', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const { page } = await freshPage(browser);
    await page.goto(backend({ scope: 'profile wildcard:w' }));
    await signIn(page);
    const everything = page.locator('.scopes li.everything');
    assert.equal(await everything.count(), 1, 'the wildcard row is marked');
    assert.match(await everything.innerText(), /everything in your account/);
    assert.match(await everything.innerText(), /Full access: every kind of data in Acme Corp/);
    const color = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.notEqual(await color('.scopes li.everything'), await color('.scopes li:not(.everything)'), 'set apart by colour, not only words');
    assert.deepEqual(await problemsAtWidths(page, 'consent with wildcard'), []);
    await screenshotAtWidths(page, 'consent-wildcard');

    await Promise.all([page.waitForURL((url) => url.pathname === AUTHORIZE_PATH), page.getByRole('button', { name: 'Not you? Sign in as someone else' }).click()]);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in');
    assert.equal(new URL(page.url()).searchParams.get('scope'), 'profile wildcard:w', 'the same request');
    await signIn(page, 'acme', 'joe');
    assert.match(await page.locator('.account').innerText(), /Signed in as joe/);
    await Promise.all([page.waitForURL(`${APP_ORIGIN}/**`), page.click('button[name=decision][value=allow]')]);
    assert.equal(new URL(page.url()).searchParams.get('state'), 's1');
    const joe = await server.store.users.forLogin(server.tenant.id, 'joe');
    assert.equal((await server.store.grants.find(joe!.id, server.backend.app.id))?.scope, 'profile wildcard:w', 'joe granted it');
  });

  it('prompt=select_account: continue as the signed-in user, or use another account (login_hint filling in the form)', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const { page } = await freshPage(browser);
    await page.goto(backend({ scope: 'profile team' }));
    await signIn(page);
    await Promise.all([page.waitForURL(`${APP_ORIGIN}/**`), page.click('button[name=decision][value=allow]')]);

    await page.goto(backend({ scope: 'profile team', prompt: 'select_account' }));
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Choose an account');
    assert.deepEqual(await problemsAtWidths(page, 'select account'), []);
    await screenshotAtWidths(page, 'select-account');
    await Promise.all([page.waitForURL(`${APP_ORIGIN}/**`), page.getByRole('link', { name: 'Continue as jane (acme)' }).click()]);
    assert.match(new URL(page.url()).searchParams.get('code') ?? '', /^ghc_/, 'on to the app, asked once');

    await page.goto(backend({ scope: 'profile team', prompt: 'select_account', login_hint: 'joe@acme' }));
    await Promise.all([page.waitForURL((url) => url.pathname === AUTHORIZE_PATH), page.getByRole('button', { name: 'Use another account' }).click()]);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in');
    assert.equal(await page.getByLabel('Username').inputValue(), 'joe');
    assert.equal(await page.getByLabel('Account').inputValue(), 'acme');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.pathname === AUTHORIZE_PATH), page.getByRole('button', { name: 'Sign in' }).click()]);
    assert.match(await page.locator('.account').innerText(), /Signed in as joe/, 'the consent page, for joe, with no second choice');
  });

  it('the signed-in home page leads to the console sections the person may use', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const { page } = await freshPage(browser);
    await page.goto(`${server.url}/login?return_to=%2F`);
    await page.getByLabel('Account').fill('acme');
    await page.getByLabel('Username').fill('jane');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Sign in' }).click()]);
    assert.deepEqual(await page.locator('.home-links a').allInnerTexts(), ['App connections', 'Security', 'Developer apps', 'Users', 'Audit log'], 'an admin');
    assert.deepEqual(await problemsAtWidths(page, 'home'), []);
    await screenshotAtWidths(page, 'home-signed-in');
    await Promise.all([page.waitForURL(`${server.url}/console/connections`), page.getByRole('link', { name: 'App connections' }).click()]);
    await page.goto(`${server.url}/`);
    await Promise.all([page.waitForURL(`${server.url}/console/**`), page.getByRole('link', { name: 'Open the console' }).click()]);

    const { page: joePage } = await freshPage(browser);
    await joePage.goto(`${server.url}/login?return_to=%2F`);
    await joePage.getByLabel('Account').fill('acme');
    await joePage.getByLabel('Username').fill('joe');
    await joePage.getByLabel('Password').fill(PASSWORD);
    await Promise.all([joePage.waitForURL(`${server.url}/`), joePage.getByRole('button', { name: 'Sign in' }).click()]);
    assert.deepEqual(await joePage.locator('.home-links a').allInnerTexts(), ['App connections', 'Security'], 'a user sees only what they may open');
  });

  it("a tenant host keeps its own session: the main host's does not reach it, and an unknown account's host asks for no password", async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const { page } = await freshPage(browser);
    const port = new URL(server.url).port;
    await page.goto(backend({ scope: 'maintenance' }));
    await signIn(page);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /wants to access/, 'signed in on the main host');

    await page.goto(`http://acme.localhost:${port}${AUTHORIZE_PATH}?${new URL(backend({ scope: 'maintenance' })).search.slice(1)}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in', 'the tenant host asks again');
    assert.equal(await page.getByLabel('Account').count(), 0);
    const sessions = (await page.context().cookies()).filter((c) => c.name === 'gh_session').map((c) => c.domain);
    assert.deepEqual(sessions, ['localhost'], 'the browser holds the main host\'s session only, and sends it nowhere else');

    await page.goto(`http://nosuch.localhost:${port}${AUTHORIZE_PATH}?${new URL(backend({ scope: 'maintenance' })).search.slice(1)}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'No such account');
    assert.equal(await page.getByLabel('Password').count(), 0);
    assert.deepEqual(await problemsAtWidths(page, 'unknown account'), []);
    await screenshotAtWidths(page, 'unknown-account');
    await Promise.all([page.waitForURL((url) => url.host === `localhost:${port}`), page.getByRole('link', { name: `Sign in on localhost:${port}` }).click()]);
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /wants to access/, 'on the main host, its session carries on');
  });
});
