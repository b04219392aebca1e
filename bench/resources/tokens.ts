// Access tokens for the notes API, the way an app gets them: sign in, authorize with
// `resource=` (consenting when asked), redeem the code with the client secret.
import { CookieClient, hiddenFields } from '../cookie-client.ts';
import { expectStatus } from '../cookie-client.ts';

export const BENCH_REDIRECT = 'http://localhost:4597/callback';
const AUTHORIZE = '/api/developers/oauth2/authorize';

export interface TokenSource {
  url: string;
  tenant: string;
  username: string;
  password: string;
  app: { clientId: string; clientSecret: string };
  resource: string;
  scope: string;
}

export async function signedIn(source: TokenSource): Promise<CookieClient> {
  const browser = new CookieClient(source.url);
  const page = await (await expectStatus(await browser.request('/login?return_to=%2F'), 200, 'login page')).text();
  await expectStatus(await browser.request('/login', { ...hiddenFields(page, '/login'), tenant: source.tenant, username: source.username, password: source.password }), 303, 'sign-in');
  return browser;
}

/** A fresh access token: consent when the grant is not remembered (it is forgotten by a revocation). */
export async function accessToken(browser: CookieClient, source: TokenSource): Promise<string> {
  const query = new URLSearchParams({ response_type: 'code', client_id: source.app.clientId, redirect_uri: BENCH_REDIRECT, scope: source.scope, state: 'bench', resource: source.resource });
  let response = await browser.request(`${AUTHORIZE}?${query}`);
  if (response.status === 200) response = await browser.request(AUTHORIZE, { ...hiddenFields(await response.text(), AUTHORIZE), decision: 'allow' });
  const code = new URL(response.headers.get('location') ?? '', 'http://x').searchParams.get('code');
  if (!code) throw new Error(`authorize gave no code (status ${response.status})`);
  const token = await fetch(new URL('/api/developers/oauth2/token', source.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: source.app.clientId, client_secret: source.app.clientSecret }),
  });
  const body = (await (await expectStatus(token, 200, 'code exchange')).json()) as { access_token: string };
  return body.access_token;
}
