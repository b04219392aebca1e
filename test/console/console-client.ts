// Drives the console over HTTP as a browser would (cookie jar, the forms' hidden fields), and
// checks what a change did through the OAuth endpoints and the API, the way an app would notice.
import assert from 'node:assert/strict';
import { createUser } from '../../src/platform/accounts.ts';
import type { UserRole } from '../../src/domain/identity.ts';
import { Browserless, authorizeQuery, formFields } from '../helpers/browserless.ts';
import { PASSWORD, type TestServer } from '../helpers/server.ts';
import { postForm, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';

/** A signed-in browser for the console. */
export async function consoleAs(server: TestServer, tenant: string, username: string, password = PASSWORD): Promise<Browserless> {
  const browser = new Browserless(server.url);
  const response = await browser.signIn(tenant, username, password, '/console');
  assert.equal(response.status, 303, `${username} signs in`);
  return browser;
}

/** A user of the tenant with the role, made through the core (as `gatehouse users create` does). */
export async function addUser(server: TestServer, tenantId: number, username: string, role: UserRole = 'USER') {
  return createUser({ tenantId, username, password: PASSWORD, role }, server.ctx);
}

/**
 * Opens `page`, fills the form posting to `action` with its hidden fields (the CSRF token) and
 * `fields`, and submits it. `csrf: false` leaves the CSRF token out, as a forged form would.
 */
export async function submit(browser: Browserless, page: string, action: string, fields: Record<string, string> = {}, options: { csrf?: boolean } = {}): Promise<Response> {
  const opened = await browser.request(page);
  assert.equal(opened.status, 200, `${page} opens`);
  const hidden = formFields(await opened.text(), action);
  if (options.csrf === false) delete hidden.csrf;
  return browser.request(action, { method: 'POST', form: { ...hidden, ...fields } });
}

/**
 * What a browser does after a console form post: the answer must be 303 See Other (so a reload
 * repeats nothing), and the page it points to is opened. Returns that page, its path and status.
 */
export async function followDone(browser: Browserless, response: Response): Promise<{ path: string; status: number; page: string }> {
  assert.equal(response.status, 303, `a done action answers 303 See Other: ${response.status === 303 ? '' : (await response.text()).slice(0, 300)}`);
  const path = response.headers.get('location') ?? assert.fail('a 303 has a Location');
  assert.doesNotMatch(path, /\?/, 'the page it leads to carries nothing in its query');
  const opened = await browser.request(path);
  return { path, status: opened.status, page: await opened.text() };
}

/** Posts straight to `action` with this browser's cookies, without opening a page first. */
export function post(browser: Browserless, action: string, fields: Record<string, string>): Promise<Response> {
  return browser.request(action, { method: 'POST', form: fields });
}

/** The CSRF token of the browser's cookie (what a same-site form would carry). */
export function csrfOf(browser: Browserless): string {
  return browser.cookie('gh_csrf') ?? assert.fail('the browser has a CSRF cookie');
}

export interface AppCredentials {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** The client id and secret a just-created or just-rotated app's page shows. */
export function credentialsOn(page: string): { clientId: string; clientSecret?: string } {
  const clientId = /id="client-id" type="text" readonly value="([0-9a-f]{20})"/.exec(page)?.[1] ?? assert.fail('the page shows the client id');
  const clientSecret = /id="client-secret" type="text" readonly value="([0-9a-f]{64})"/.exec(page)?.[1];
  return { clientId, clientSecret };
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Signs in as the user, allows the app and redeems the code with the secret, as a backend app does. */
export async function tokensThrough(server: TestServer, app: AppCredentials, user: { tenant: string; username: string; password?: string }, scope = 'profile'): Promise<Tokens> {
  const query = authorizeQuery({ client_id: app.clientId, response_type: 'code', redirect_uri: app.redirectUri, scope, state: 'console-test' });
  const code = await new Browserless(server.url).authorizeCode(query, { ...user, password: user.password ?? PASSWORD });
  const token = await postForm(tokenUrl(server.url), { client_id: app.clientId, client_secret: app.clientSecret, code, grant_type: 'authorization_code' });
  assert.equal(token.status, 200, `the code is redeemed: ${token.text}`);
  return { accessToken: String(token.body.access_token), refreshToken: String(token.body.refresh_token) };
}

/** What an app sees of its tokens now: token_info, the API, and a refresh with its secret. */
export async function tokenEffects(server: TestServer, app: { clientId: string; clientSecret: string }, tokens: Tokens) {
  const info = await postForm(tokenInfoUrl(server.url), { token: tokens.accessToken });
  const api = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' } });
  await api.body?.cancel();
  const refresh = await postForm(tokenUrl(server.url), {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    grant_type: 'refresh_token',
    refresh_token: tokens.refreshToken,
  });
  return { active: info.body.active === true, apiStatus: api.status, refreshStatus: refresh.status };
}

/** Asserts an app's tokens are refused everywhere an app would use them. */
export async function assertTokensRefused(server: TestServer, app: { clientId: string; clientSecret: string }, tokens: Tokens): Promise<void> {
  const effects = await tokenEffects(server, app, tokens);
  assert.equal(effects.active, false, 'token_info calls the access token inactive');
  assert.equal(effects.apiStatus, 401, '/api/users/current refuses the access token');
  assert.ok(effects.refreshStatus >= 400, `the token endpoint refuses the refresh token (status ${effects.refreshStatus})`);
}

/** Asserts an access token still works (token_info and the API); does not spend the refresh token. */
export async function assertAccessWorks(server: TestServer, accessToken: string): Promise<void> {
  const info = await postForm(tokenInfoUrl(server.url), { token: accessToken });
  assert.equal(info.body.active, true, 'token_info calls the access token active');
  const api = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  assert.equal(api.status, 200, '/api/users/current accepts the access token');
  await api.body?.cancel();
}

/** The text of an element with this id, tags stripped (a field's error line, a notice). */
export function textOf(page: string, id: string): string | undefined {
  const match = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</p>`).exec(page);
  return match?.[1]?.replace(/<[^>]+>/g, '').trim();
}
