// The console in a real Chromium, used as people use it: by labels and buttons. Each action —
// create, edit, upload an icon, rotate a secret, delete, revoke a connection, disable a user — is
// checked through the API, and every page passes axe-core and the page checks at 375 and 1440 px
// (screenshots in test-results/console/).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { changeUser } from '../../src/platform/accounts.ts';
import { sha256Hex } from '../../src/oauth/secrets.ts';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { addUser, assertAccessWorks, assertTokensRefused, tokensThrough, type Tokens } from '../console/console-client.ts';
import { inspect, watch } from '../console/browser-checks.ts';
import { APP_ORIGIN, plainOk, serveAppOrigin } from './app-origin.ts';

const REDIRECT = `${APP_ORIGIN}/chat-bridge/callback`;

describe('the console in a real browser', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let trouble: string[];
  const problems: string[] = [];
  /** The app the tests create, edit and finally delete. */
  const created = { id: 0, clientId: '', clientSecret: '', redirectUri: REDIRECT };
  /** The example sign-in link the app's page offers. */
  let exampleLink = '';

  before(async () => {
    server = await startTestServer();
    await changeUser(server.user, { platformAdmin: true }, {}, server.ctx);
    await addUser(server, server.tenant.id, 'bob');
    browser = await launchChromium();
    if (!browser) return;
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
    trouble = watch(page, server.url);
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  const go = (path: string) => page.goto(`${server.url}${path}`);
  const clickAndWait = (name: string | RegExp, role: 'button' | 'link' = 'button') =>
    Promise.all([page.waitForEvent('load'), page.getByRole(role, { name, exact: typeof name === 'string' }).click()]);
  /**
   * After an action: the browser is on a GET page (Post/Redirect/Get, nothing in its query) showing
   * the notice; reloading it shows the notice no more — and repeats nothing, which the caller checks.
   */
  async function noticeOnceThenReload(notice: RegExp): Promise<void> {
    assert.equal(new URL(page.url()).search, '', `no query on ${page.url()}`);
    assert.match(await page.getByRole('status').first().innerText(), notice);
    const reloaded = await page.reload();
    assert.equal(reloaded?.request().method(), 'GET', 'a reload repeats a GET, not the form post');
    assert.equal(reloaded?.status(), 200);
    assert.equal(await page.locator('.notice').count(), 0, 'the notice was shown once');
  }

  it('signs in from /console and lands on the developer apps', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await go('/console');
    assert.equal(new URL(page.url()).pathname, '/login');
    problems.push(...(await inspect(page, 'login')));
    await page.getByLabel('Account').fill('acme');
    await page.getByLabel('Username').fill('jane');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL(`${server.url}/console/apps`), page.getByRole('button', { name: 'Sign in' }).click()]);
    const header = await page.locator('header').innerText();
    assert.match(header, /jane/);
    assert.match(header, /Acme Corp/);
    assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible());
    assert.equal(await page.locator('nav a[aria-current=page]').innerText(), 'Developer apps');
    problems.push(...(await inspect(page, 'apps-list')));
  });

  it('creates an app: field errors first, then the secret, masked, revealed and copied', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await clickAndWait('Create app', 'link');
    problems.push(...(await inspect(page, 'app-create')));
    // Every problem at once, each quoting what was typed.
    await page.getByLabel('Redirect URLs', { exact: true }).fill('not a url');
    await clickAndWait('Create app');
    assert.match(await page.locator('#app-name-error').innerText(), /name must be 1 to 100/);
    assert.match(await page.locator('#app-redirect-uris-error').innerText(), /Redirect URL "not a url" is not an absolute URL/);
    assert.equal(await page.locator('.error-summary li').count(), 2);
    problems.push(...(await inspect(page, 'app-create-two-errors')));
    await page.getByLabel('Name').fill('Backend app');
    await page.getByLabel('Redirect URLs', { exact: true }).fill('https://chat.example/callback');
    await clickAndWait('Create app');
    assert.match(await page.getByRole('alert').innerText(), /already exists/);
    assert.match(await page.locator('#app-name-error').innerText(), /already exists/);
    assert.equal(await page.getByLabel('Redirect URLs', { exact: true }).inputValue(), 'https://chat.example/callback', 'what was typed stays');
    problems.push(...(await inspect(page, 'app-create-errors')));
    // The summary links to the field.
    await page.locator('.error-summary a').first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'app-name');

    await page.getByLabel('Name').fill('Chat bridge');
    await page.getByLabel('What is your app doing?').fill('Posts new alerts to the team chat.');
    await page.getByLabel('Redirect URLs', { exact: true }).fill(REDIRECT);
    await page.getByLabel('Limit to this account').check();
    await clickAndWait('Create app');
    assert.match(new URL(page.url()).pathname, /^\/console\/apps\/\d+$/, "the app's own page");
    assert.match(await page.getByRole('status').first().innerText(), /App created/);
    created.clientId = await page.getByLabel('Client ID', { exact: true }).inputValue();
    const secretField = page.getByLabel('Client secret', { exact: true });
    assert.equal(await secretField.getAttribute('type'), 'password', 'the secret starts masked');
    await page.getByRole('button', { name: 'Show' }).click();
    assert.equal(await secretField.getAttribute('type'), 'text');
    assert.equal(await page.getByRole('button', { name: 'Hide' }).count(), 1);
    await page.getByRole('button', { name: 'Copy Client secret' }).click();
    created.clientSecret = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(created.clientSecret, await secretField.inputValue());
    assert.match(created.clientSecret, /^[0-9a-f]{64}$/);
    await page.getByRole('button', { name: 'Copy Authorization endpoint' }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${server.url}/api/developers/oauth2/authorize`);
    assert.match(await page.locator('#copy-status').innerText(), /copied/);
    await page.getByRole('button', { name: 'Copy Example sign-in link' }).click();
    exampleLink = await page.evaluate(() => navigator.clipboard.readText());
    problems.push(...(await inspect(page, 'app-created')));
    // A reload shows neither the secret nor the notice again, and registers no second app.
    await noticeOnceThenReload(/App created/);
    assert.equal(await page.getByLabel('Client secret', { exact: true }).count(), 0, 'the secret was shown once');
    assert.equal((await server.store.apps.list(server.tenant.id)).filter((a) => a.name === 'Chat bridge').length, 1);

    const app = await server.store.apps.byClientId(created.clientId);
    assert.ok(app);
    created.id = app.id;
    assert.equal(app.limitToAccount, true);
    const tokens = await tokensThrough(server, created, { tenant: 'acme', username: 'jane' });
    await assertAccessWorks(server, tokens.accessToken);
  });

  it('the example sign-in link, opened, reaches the sign-in page, and the consent page when signed in', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const link = new URL(exampleLink);
    assert.equal(link.searchParams.get('redirect_uri'), REDIRECT);
    assert.equal(link.searchParams.get('code_challenge_method'), 'S256');
    const signedOut = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const fresh = await signedOut.newPage();
    const opened = await fresh.goto(exampleLink);
    assert.equal(opened?.status(), 200);
    assert.equal(await fresh.getByRole('button', { name: 'Sign in' }).count(), 1, 'the sign-in page, not an error');
    assert.match(await fresh.locator('main').innerText(), /Chat bridge/);
    await signedOut.close();
    await go(`${link.pathname}${link.search}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Chat bridge wants to access your account');
  });

  it('edits the settings', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await go(`/console/apps/${created.id}`);
    assert.equal(await page.getByLabel('Client secret', { exact: true }).count(), 0, 'a later visit shows no secret');
    await page.getByLabel('What is your app doing?').fill('Posts alerts and incidents to the team chat.');
    await page.getByLabel('Redirect URLs', { exact: true }).fill(`${REDIRECT}\nhttps://chat.example/callback`);
    await page.getByLabel('Limit to this account').uncheck();
    await page.getByLabel('Always').check();
    await clickAndWait('Save settings');
    await noticeOnceThenReload(/Settings saved/);
    const app = await server.store.apps.byId(created.id);
    assert.equal(app?.description, 'Posts alerts and incidents to the team chat.');
    assert.deepEqual(app?.redirectUris, [REDIRECT, 'https://chat.example/callback']);
    assert.equal(app?.limitToAccount, false);
    assert.equal(app?.refreshRotation, 'always');
    problems.push(...(await inspect(page, 'app-manage')));
  });

  it('uploads an icon, which the list and the consent page then show', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const jpeg = await sharp({ create: { width: 120, height: 90, channels: 3, background: { r: 30, g: 120, b: 200 } } }).jpeg().toBuffer();
    await page.getByLabel('Icon image').setInputFiles({ name: 'logo.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await clickAndWait('Upload icon');
    const uploadedAt = (await server.store.apps.byId(created.id))?.iconUpdatedAt;
    await noticeOnceThenReload(/Icon uploaded/);
    assert.deepEqual((await server.store.apps.byId(created.id))?.iconUpdatedAt, uploadedAt, 'the reload uploaded nothing');
    const size = await page.locator('img.app-icon').first().evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    assert.deepEqual(size, [500, 500]);
    assert.ok((await server.store.apps.byId(created.id))?.iconUpdatedAt);

    await page.getByLabel('Icon image').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
    await clickAndWait('Upload icon');
    assert.match(await page.locator('#icon-error').innerText(), /JPEG, PNG or GIF/);
    problems.push(...(await inspect(page, 'app-manage-icon-error')));

    await go('/console/apps');
    assert.equal(await page.locator('tbody img.app-icon').count(), 1);
    await go(`/api/developers/oauth2/authorize?${new URLSearchParams({ client_id: created.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'profile source:w alert:d offline_access', state: 'look' })}`);
    const icon = page.locator('.consent img.app-icon');
    assert.equal(await icon.evaluate((img: HTMLImageElement) => img.naturalWidth), 500);
    problems.push(...(await inspect(page, 'consent')));
  });

  it('rotates the secret with revocation: old tokens refused, the new secret works', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const before: Tokens = await tokensThrough(server, created, { tenant: 'acme', username: 'jane' });
    await go(`/console/apps/${created.id}`);
    await clickAndWait('Rotate secret…', 'link');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Rotate the secret of Chat bridge?');
    assert.equal((await server.store.apps.byId(created.id))?.clientSecretHash, sha256Hex(created.clientSecret), 'asking rotates nothing');
    problems.push(...(await inspect(page, 'app-rotate-confirm')));
    await page.getByLabel('Also revoke every token issued so far').check();
    await clickAndWait('Rotate secret');
    assert.equal(new URL(page.url()).pathname, `/console/apps/${created.id}`);
    assert.match(await page.getByRole('status').first().innerText(), /old one no longer works/);
    const secret = await page.getByLabel('Client secret', { exact: true }).inputValue();
    assert.notEqual(secret, created.clientSecret);
    problems.push(...(await inspect(page, 'app-rotated')));
    // A reload shows the secret no more and rotates nothing: the secret just copied still works.
    await noticeOnceThenReload(/old one no longer works/);
    assert.equal(await page.getByLabel('Client secret', { exact: true }).count(), 0);
    assert.equal((await server.store.apps.byId(created.id))?.clientSecretHash, sha256Hex(secret), 'rotated once');
    await assertTokensRefused(server, { ...created, clientSecret: secret }, before);
    const old = await postForm(tokenUrl(server.url), { client_id: created.clientId, client_secret: created.clientSecret, grant_type: 'refresh_token', refresh_token: before.refreshToken });
    assert.ok(old.status >= 400);
    created.clientSecret = secret;
    await assertAccessWorks(server, (await tokensThrough(server, created, { tenant: 'acme', username: 'jane' })).accessToken);
  });

  it('deletes the app after confirming; its tokens are refused', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const tokens = await tokensThrough(server, created, { tenant: 'acme', username: 'jane' });
    await clickAndWait('Delete app…', 'link');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Delete Chat bridge?');
    problems.push(...(await inspect(page, 'app-delete')));
    await clickAndWait('Delete Chat bridge');
    assert.equal(new URL(page.url()).pathname, '/console/apps');
    assert.equal(await page.locator('table', { hasText: 'Chat bridge' }).count(), 0);
    await noticeOnceThenReload(/“Chat bridge” was deleted/);
    assert.equal(await page.getByText('Chat bridge').count(), 0);
    assert.equal(await server.store.apps.byId(created.id), undefined);
    await assertTokensRefused(server, created, tokens);
  });

  it("revokes a connection made in this browser; the app's tokens stop working", async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const appRequests = await serveAppOrigin(page, plainOk);
    await go(`/api/developers/oauth2/authorize?${new URLSearchParams({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile source:w', state: 'c' })}`);
    await Promise.all([page.waitForURL(`${APP_ORIGIN}/**`), page.getByRole('button', { name: 'Allow' }).click()]);
    const code = new URL(page.url()).searchParams.get('code') ?? assert.fail('a code');
    assert.equal(appRequests.length, 1);
    const token = await postForm(tokenUrl(server.url), { client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code, grant_type: 'authorization_code' });
    const tokens = { accessToken: String(token.body.access_token), refreshToken: String(token.body.refresh_token) };
    await assertAccessWorks(server, tokens.accessToken);

    await go('/console/connections');
    const card = page.locator('.connection', { hasText: 'Backend app' });
    assert.match(await card.innerText(), /Chrome, Linux/);
    assert.match(await card.innerText(), /See, Create, Edit Alert sources/);
    problems.push(...(await inspect(page, 'connections')));
    await clickAndWait('Revoke access… of Backend app', 'link');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Revoke the access of Backend app?');
    await assertAccessWorks(server, tokens.accessToken);
    problems.push(...(await inspect(page, 'connection-revoke-confirm')));
    await clickAndWait('Revoke access');
    assert.equal(await page.locator('.connection', { hasText: 'Backend app' }).count(), 0);
    await noticeOnceThenReload(/The access of Backend app was revoked/);
    await assertTokensRefused(server, server.backend, tokens);
    problems.push(...(await inspect(page, 'connections-empty')));
  });

  it("creates a user, then disables them: their tokens stop working", async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await go('/console/users');
    await page.getByLabel('Username').fill('erin');
    await page.getByLabel('Password').fill('short');
    await clickAndWait('Create user');
    assert.match(await page.locator('#new-password-error').innerText(), /at least 8/);
    problems.push(...(await inspect(page, 'users-errors')));
    await page.getByLabel('Password').fill('erin has a long password');
    await page.getByLabel('Role', { exact: true }).selectOption('RESPONDER');
    await clickAndWait('Create user');
    await noticeOnceThenReload(/Created user erin/);
    assert.equal((await server.store.users.listByTenant(server.tenant.id)).filter((u) => u.username === 'erin').length, 1, 'one user erin');
    const tokens = await tokensThrough(server, { clientId: server.backend.clientId, clientSecret: server.backend.clientSecret, redirectUri: BACKEND_REDIRECT }, { tenant: 'acme', username: 'erin', password: 'erin has a long password' });
    await assertAccessWorks(server, tokens.accessToken);

    const row = page.locator('tr', { hasText: 'erin' });
    await Promise.all([page.waitForEvent('load'), row.getByRole('button', { name: 'Disable erin' }).click()]);
    await noticeOnceThenReload(/Saved changes to user erin/);
    assert.match(await page.locator('tr', { hasText: 'erin' }).innerText(), /Disabled/);
    await assertTokensRefused(server, server.backend, tokens);
    problems.push(...(await inspect(page, 'users')));
  });

  it('shows the audit log and the platform admin page', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await go('/console/audit');
    const log = await page.locator('table').innerText();
    assert.match(log, /App deleted/);
    assert.match(log, /access revoked, 1 token family\b/, 'one family, in the singular');
    assert.doesNotMatch(log, /\b1 token families/);
    assert.equal(await page.title(), 'Audit log · Gatehouse');
    const anonymous = await browser.newContext();
    const home = await anonymous.newPage();
    await home.goto(`${server.url}/`);
    assert.equal(await home.title(), 'Gatehouse', 'the start page is not "Gatehouse · Gatehouse"');
    await anonymous.close();
    problems.push(...(await inspect(page, 'audit')));
    await go('/console/admin/apps');
    problems.push(...(await inspect(page, 'admin-apps')));
    await clickAndWait('Mark verified Backend app');
    await noticeOnceThenReload(/Backend app is now marked verified/);
    assert.equal((await server.store.apps.byId(server.backend.app.id))?.verified, true, 'the reload did not mark it again (or back)');
    assert.equal(await page.getByRole('button', { name: 'Mark unverified Backend app' }).count(), 1);
  });

  it('a user who is not an admin sees their connections and a 403 page for admin pages', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const bobContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const bobPage = await bobContext.newPage();
    const bobTrouble = watch(bobPage, server.url);
    await bobPage.goto(`${server.url}/console/apps`);
    await bobPage.getByLabel('Account').fill('acme');
    await bobPage.getByLabel('Username').fill('bob');
    await bobPage.getByLabel('Password').fill(PASSWORD);
    const [response] = await Promise.all([bobPage.waitForResponse(`${server.url}/console/apps`), bobPage.getByRole('button', { name: 'Sign in' }).click()]);
    assert.equal(response.status(), 403);
    assert.deepEqual(await bobPage.locator('nav li').allInnerTexts(), ['App connections', 'Security'], 'only the sections bob may use');
    problems.push(...(await inspect(bobPage, 'forbidden')));
    await bobPage.goto(`${server.url}/console/connections`);
    assert.match(await bobPage.locator('main').innerText(), /No app can act for you/);
    problems.push(...bobTrouble);
    await bobContext.close();
  });

  it('keyboard: the skip link reaches the content, and Enter submits a form', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    await go('/console/apps/new');
    await page.locator('body').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await page.getByLabel('Name').focus();
    await page.keyboard.type('Keyboard app');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Made without a mouse.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('https://keys.example/cb');
    await page.getByRole('button', { name: 'Create app' }).focus();
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    assert.match(await page.getByRole('status').first().innerText(), /App created/);
    assert.equal((await server.store.apps.byName('Keyboard app'))?.description, 'Made without a mouse.');
  });

  it('works without JavaScript: forms post, and the new secret is readable', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const plain = await browser.newContext({ viewport: { width: 375, height: 740 }, javaScriptEnabled: false });
    const plainPage = await plain.newPage();
    await plainPage.goto(`${server.url}/console/apps/new`);
    await plainPage.getByLabel('Account').fill('acme');
    await plainPage.getByLabel('Username').fill('jane');
    await plainPage.getByLabel('Password').fill(PASSWORD);
    await Promise.all([plainPage.waitForURL(`${server.url}/console/apps/new`), plainPage.getByRole('button', { name: 'Sign in' }).click()]);
    await plainPage.getByLabel('Name').fill('No script app');
    await plainPage.getByLabel('Redirect URLs', { exact: true }).fill('https://noscript.example/cb');
    await Promise.all([plainPage.waitForEvent('load'), plainPage.getByRole('button', { name: 'Create app' }).click()]);
    const secret = plainPage.getByLabel('Client secret', { exact: true });
    assert.equal(await secret.getAttribute('type'), 'text', 'without the script the secret is not masked');
    assert.match(await secret.inputValue(), /^[0-9a-f]{64}$/);
    assert.equal(await plainPage.getByRole('button', { name: /^Copy/ }).count(), 0, 'no Copy button that would do nothing');
    assert.ok(await server.store.apps.byName('No script app'));
    await plain.close();
  });

  it('no page had a serious accessibility violation, a layout problem, or a blocked resource', (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    assert.deepEqual([...problems, ...trouble], []);
  });
});
