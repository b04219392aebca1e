// The data the scenarios replay, made the way a user and an app make it: sign in and consent
// through the pages, take codes from authorize redirects, exchange one for tokens at /token.
import autocannon from 'autocannon';
import { z } from 'zod';
import { CookieClient, expectStatus, hiddenFields } from '../cookie-client.ts';
import { BENCH_REDIRECT_URI, BENCH_TENANT, BENCH_USERNAME, type GatehouseSeed, type RegisteredApp } from './server.ts';

export const AUTHORIZE = '/api/developers/oauth2/authorize';
export const TOKEN = '/api/developers/oauth2/token';
export const SCOPE = 'profile source:w';

export interface GatehouseFixtures {
  seed: GatehouseSeed;
  /** The Cookie header of the signed-in browser (session and CSRF cookies). */
  sessionCookie: string;
  /** The backend app's refresh token (rotation 'never') and an access token of its family. */
  refreshToken: string;
  accessToken: string;
  /** An authorize path the user has already consented to, for the code app. */
  codeAuthorizePath: string;
}

export const authorizePath = (app: RegisteredApp, state: string) =>
  `${AUTHORIZE}?${new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: BENCH_REDIRECT_URI, scope: SCOPE, state })}`;

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

export const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded' };

const tokenResponse = z.object({ access_token: z.string(), refresh_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number() });

function codeFrom(location: string | null | undefined): string | undefined {
  if (!location) return undefined;
  return new URL(location, 'http://x').searchParams.get('code') ?? undefined;
}

/** Signs in through the login page (CSRF field and cookie) and returns the browser. */
async function signIn(baseUrl: string, seed: GatehouseSeed): Promise<CookieClient> {
  const browser = new CookieClient(baseUrl);
  const page = await (await expectStatus(await browser.request('/login?return_to=%2F'), 200, 'login page')).text();
  const fields = hiddenFields(page, '/login');
  await expectStatus(await browser.request('/login', { ...fields, tenant: BENCH_TENANT, username: BENCH_USERNAME, password: seed.password }), 303, 'sign-in');
  if (!browser.cookie('gh_session')) throw new Error('sign-in set no session cookie');
  return browser;
}

/** Opens authorize, allows on the consent page, and returns the code from the redirect. */
async function consent(browser: CookieClient, app: RegisteredApp): Promise<string> {
  const page = await (await expectStatus(await browser.request(authorizePath(app, 'consent')), 200, 'consent page')).text();
  if (!page.includes('name="decision"')) throw new Error(`expected the consent page, got:\n${page.slice(0, 300)}`);
  const response = await expectStatus(await browser.request(AUTHORIZE, { ...hiddenFields(page, AUTHORIZE), decision: 'allow' }), 303, 'consent');
  const code = codeFrom(response.headers.get('location'));
  if (!code) throw new Error(`consent redirected without a code: ${response.headers.get('location')}`);
  return code;
}

export async function exchangeCode(baseUrl: string, app: RegisteredApp, code: string) {
  const response = await fetch(new URL(TOKEN, baseUrl), {
    method: 'POST',
    headers: FORM_HEADERS,
    body: form({ grant_type: 'authorization_code', code, redirect_uri: BENCH_REDIRECT_URI, client_id: app.clientId, client_secret: app.clientSecret }),
  });
  return tokenResponse.parse(await (await expectStatus(response, 200, 'code exchange')).json());
}

export async function prepareGatehouse(baseUrl: string, seed: GatehouseSeed): Promise<GatehouseFixtures> {
  const browser = await signIn(baseUrl, seed);
  const tokens = await exchangeCode(baseUrl, seed.backend, await consent(browser, seed.backend));
  await consent(browser, seed.codeApp);
  const codeAuthorizePath = authorizePath(seed.codeApp, 'bench');
  // With the grant remembered, authorize answers at once with a code.
  const again = await expectStatus(await browser.request(codeAuthorizePath), 302, 'authorize with a remembered grant');
  if (!codeFrom(again.headers.get('location'))) throw new Error('authorize with a remembered grant gave no code');
  return { seed, sessionCookie: browser.cookieHeader(), refreshToken: tokens.refresh_token, accessToken: tokens.access_token, codeAuthorizePath };
}

/**
 * `count` fresh codes for the code app, taken from the redirects of the real authorize endpoint
 * (the signed-in user's remembered grant), requested as fast as the server answers.
 */
export async function mintCodes(baseUrl: string, fixtures: GatehouseFixtures, count: number, connections: number): Promise<string[]> {
  const codes: string[] = [];
  await autocannon({
    url: baseUrl,
    connections: Math.min(connections, count),
    amount: count,
    requests: [
      {
        method: 'GET',
        path: fixtures.codeAuthorizePath,
        headers: { cookie: fixtures.sessionCookie },
        onResponse: (_status, _body, _context, headers) => {
          const location = headers.location;
          const code = codeFrom(Array.isArray(location) ? location[0] : location);
          if (code) codes.push(code);
        },
      },
    ],
  });
  if (codes.length < count * 0.99) throw new Error(`minting codes: asked for ${count}, authorize gave ${codes.length}`);
  return codes;
}

/**
 * CSRF pairs (cookie, form field) from the login page, one per simulated browser: a double-submit
 * token stays valid for its cookie, so each browser can post the login form again and again.
 */
export async function loginForms(baseUrl: string, browsers: number): Promise<{ cookie: string; csrf: string }[]> {
  const forms = [];
  for (let i = 0; i < browsers; i++) {
    const browser = new CookieClient(baseUrl);
    const page = await (await expectStatus(await browser.request('/login?return_to=%2F'), 200, 'login page')).text();
    const { csrf } = hiddenFields(page, '/login');
    if (!csrf) throw new Error('the login page has no csrf field');
    forms.push({ cookie: browser.cookieHeader(), csrf });
  }
  return forms;
}
