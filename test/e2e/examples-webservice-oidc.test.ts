// "Sign in with Gatehouse" in examples/webservice, in a real Chromium against a real Gatehouse:
// OpenID Connect sign-in (nonce, PKCE, the ID token checked, UserInfo shown), sign-out through
// Gatehouse's end_session_endpoint back to /signed-out, sign-out here only when Gatehouse has no
// such endpoint, and the back-channel logout receiver with logout tokens signed by the server's key.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningExample } from '../../examples/shared/http.ts';
import { startWebserviceExample } from '../../examples/webservice/server.ts';
import { BACKCHANNEL_LOGOUT_EVENT } from '@gatehouse/client';
import { signCompact } from '../../src/keys/jws.ts';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { exampleScreenshot, inspectExamplePage, pageTrouble, recordingFetch, registerExampleApp } from '../helpers/example-apps.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { AUTHORIZE_PATH, signIn } from './browser-steps.ts';
import { freePort } from '../../scripts/free-port.ts';

const VIEWPORT = { width: 1440, height: 900 };
const SIGNED_IN_HEADING = 'Signed in as Jane Doe (jane@acme.example)';

/** A fetch that hides end_session_endpoint from the discovery document: a Gatehouse without RP-initiated logout. */
const withoutLogoutEndpoint = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await fetch(input, init);
  if (!new URL(new Request(input, init).url).pathname.endsWith('/openid-configuration')) return response;
  const { end_session_endpoint: _hidden, ...document } = (await response.json()) as Record<string, unknown>;
  return Response.json(document, { status: response.status });
};

/** A stand-in end_session_endpoint that only does the redirect: to check the example's half of RP-initiated logout on its own. */
async function stubLogoutEndpoint(): Promise<{ url: string; requests: URLSearchParams[]; server: Server }> {
  const requests: URLSearchParams[] = [];
  const server = createServer((request, response) => {
    const query = new URL(request.url ?? '/', 'http://stub').searchParams;
    requests.push(query);
    response.writeHead(302, { location: `${query.get('post_logout_redirect_uri')}?state=${encodeURIComponent(query.get('state') ?? '')}` }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/logout`, requests, server };
}

/** A fetch whose discovery document names `endSession` as end_session_endpoint. */
const withLogoutEndpoint =
  (endSession: string) =>
  async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await fetch(input, init);
    if (!new URL(new Request(input, init).url).pathname.endsWith('/openid-configuration')) return response;
    return Response.json({ ...((await response.json()) as object), end_session_endpoint: endSession }, { status: response.status });
  };

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('Sign in with Gatehouse in examples/webservice (Chromium)', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let example: RunningExample;
  let hereOnly: RunningExample;
  let stubbed: RunningExample;
  let stub: Awaited<ReturnType<typeof stubLogoutEndpoint>>;
  let app: { clientId: string; clientSecret: string };
  let hereOnlyApp: { clientId: string; clientSecret: string };
  let context: BrowserContext;
  let page: Page;
  const recorder = recordingFetch();
  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    const [port, otherPort] = [await freePort(), await freePort()];
    app = await registerExampleApp(server, 'webservice', port, 'Example web service');
    example = await startWebserviceExample({ gatehouseUrl: server.url, clientId: app.clientId, clientSecret: app.clientSecret, port }, { fetch: recorder.fetch });
    hereOnlyApp = await registerExampleApp(server, 'webservice', otherPort, 'Example web service without logout');
    hereOnly = await startWebserviceExample({ gatehouseUrl: server.url, clientId: hereOnlyApp.clientId, clientSecret: hereOnlyApp.clientSecret, port: otherPort }, { fetch: withoutLogoutEndpoint });
    stub = await stubLogoutEndpoint();
    const stubbedPort = await freePort();
    const stubbedApp = await registerExampleApp(server, 'webservice', stubbedPort, 'Example web service with a stub logout');
    stubbed = await startWebserviceExample({ gatehouseUrl: server.url, clientId: stubbedApp.clientId, clientSecret: stubbedApp.clientSecret, port: stubbedPort }, { fetch: withLogoutEndpoint(stub.url) });
  });
  after(async () => {
    await example?.close();
    await hereOnly?.close();
    await stubbed?.close();
    stub?.server.close();
    await browser?.close();
    await server.close();
  });

  /**
   * Home → "Sign in with Gatehouse" → login (when Gatehouse has no session) → consent (when not
   * given yet) → the signed-in page. Returns the authorization request, when a Gatehouse page showed it.
   */
  async function signInWithGatehouse(target: Page, on: RunningExample, options: { expectLogin: boolean; screenshots?: string }): Promise<URL | undefined> {
    await target.goto(on.url);
    const signedIn = (url: URL) => url.origin === on.url && url.searchParams.get('done') === 'signed-in';
    await Promise.all([target.waitForURL((url) => url.pathname === AUTHORIZE_PATH || signedIn(url)), target.getByRole('link', { name: 'Sign in with Gatehouse' }).click()]);
    const asked = new URL(target.url());
    assert.equal(asked.pathname === AUTHORIZE_PATH && (await target.getByLabel('Password').isVisible()), options.expectLogin, options.expectLogin ? 'Gatehouse asks for the password' : 'Gatehouse needs no password');
    if (options.screenshots) await exampleScreenshot(target, `${options.screenshots}-2-login`);
    if (options.expectLogin) await signIn(target);
    if (await target.locator('button[name=decision][value=allow]').isVisible()) {
      if (options.screenshots) await exampleScreenshot(target, `${options.screenshots}-3-consent`);
      await Promise.all([target.waitForURL(signedIn), target.click('button[name=decision][value=allow]')]);
    } else {
      await target.waitForURL(signedIn);
    }
    assert.equal(await target.getByRole('heading', { level: 1 }).innerText(), SIGNED_IN_HEADING);
    return asked.pathname === AUTHORIZE_PATH ? asked : undefined;
  }

  it('Sign in with Gatehouse → sign in → consent → "Signed in as Jane Doe (jane@acme.example)" with the ID token checked', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    const trouble = pageTrouble(page);
    await page.goto(example.url);
    const problems = await inspectExamplePage(page, 'webservice-oidc-1-home');
    await exampleScreenshot(page, 'webservice-oidc-1-home-1440');

    const asked = await signInWithGatehouse(page, example, { expectLogin: true, screenshots: 'webservice-oidc' });
    assert.ok(asked);
    assert.equal(asked.searchParams.get('scope'), 'openid profile email');
    assert.equal(asked.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(asked.searchParams.get('redirect_uri'), `${example.url}/authorize-result`);
    const nonce = asked.searchParams.get('nonce') ?? '';
    assert.match(nonce, /^[A-Za-z0-9_-]{43}$/, 'a random nonce');

    const exchange = recorder.calls.find((c) => c.url.pathname.endsWith('/oauth2/token') && c.form?.get('grant_type') === 'authorization_code');
    const idToken = (exchange?.tokens as { id_token?: string } | undefined)?.id_token;
    assert.ok(idToken, 'the code exchange returned an ID token');
    const claims = claimsOf(idToken);
    assert.equal(claims.nonce, nonce, 'the ID token carries the nonce sent');
    const userinfo = recorder.calls.find((c) => c.url.pathname === '/oauth2/userinfo');
    assert.equal(userinfo?.status, 200, 'UserInfo was asked');
    const shown = await page.locator('#id-token').innerText();
    for (const claim of ['sub', 'auth_time', 'sid']) assert.match(shown, new RegExp(`${claim}\\s+\\S`), `${claim} is shown`);
    assert.match(shown, new RegExp(`sid\\s+${String(claims.sid)}`));
    assert.match(await page.locator('#userinfo').innerText(), /email\s+jane@acme\.example/);
    assert.ok(!(await page.content()).includes(idToken), 'the ID token stays on the server');
    problems.push(...(await inspectExamplePage(page, 'webservice-oidc-4-signed-in')));
    await exampleScreenshot(page, 'webservice-oidc-4-signed-in-1440');
    assert.deepEqual([...problems, ...trouble], []);
  });

  // Needs Gatehouse's RP-initiated logout (GET /oauth2/logout, advertised as end_session_endpoint).
  it('Sign out → Gatehouse ends its session → /signed-out; the next sign-in asks for the password again', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    assert.ok(page, 'the sign-in test ran first');
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as { end_session_endpoint?: string };
    assert.ok(discovery.end_session_endpoint, 'Gatehouse advertises an end_session_endpoint');
    await Promise.all([page.waitForURL((url) => url.origin === example.url && url.pathname === '/signed-out', { timeout: 15_000 }), page.getByRole('button', { name: 'Sign out' }).click()]);
    assert.equal(await page.getByRole('status').innerText(), 'Signed out of Gatehouse and of this service.');
    await exampleScreenshot(page, 'webservice-oidc-5-signed-out');
    const session = (await context.cookies(example.url)).find((c) => c.name === 'example_session');
    assert.ok(!session?.value, 'the session cookie is cleared');

    // Gatehouse's session is gone: signing in again asks for the password.
    await signInWithGatehouse(page, example, { expectLogin: true });
    await context.close();
  });

  it("Sign out sends client_id, the session's ID token, the post-logout URI and a state, and /signed-out takes that state once", async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const own = await browser.newContext({ viewport: VIEWPORT });
    const tab = await own.newPage();
    await signInWithGatehouse(tab, stubbed, { expectLogin: true });
    const sid = /sid\s+(\S+)/.exec(await tab.locator('#id-token').innerText())?.[1];
    await Promise.all([tab.waitForURL((url) => url.origin === stubbed.url && url.pathname === '/signed-out'), tab.getByRole('button', { name: 'Sign out' }).click()]);
    assert.equal(await tab.getByRole('status').innerText(), 'Signed out of Gatehouse and of this service.');
    const [sent] = stub.requests;
    assert.ok(sent);
    assert.deepEqual([...sent.keys()].sort(), ['client_id', 'id_token_hint', 'post_logout_redirect_uri', 'state']);
    assert.equal(sent.get('post_logout_redirect_uri'), `${stubbed.url}/signed-out`);
    assert.equal(claimsOf(sent.get('id_token_hint') ?? '').sid, sid, "the hint is this session's ID token");
    assert.match(sent.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
    await tab.goto(stubbed.url);
    assert.equal(await tab.getByRole('heading', { level: 1 }).innerText(), 'Connect this service to Gatehouse', 'the session ended');

    const again = await tab.goto(`${stubbed.url}/signed-out?state=${sent.get('state')}`);
    assert.equal(again?.status(), 400, 'a state is good once');
    assert.equal(await tab.getByRole('heading', { level: 1 }).innerText(), 'Sign-out not started here');
    assert.equal((await tab.goto(`${stubbed.url}/signed-out`))?.status(), 400, 'no state');
    await own.close();
  });

  it('without an end_session_endpoint, Sign out ends the session here only, and Gatehouse still knows the user', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const local = await browser.newContext({ viewport: VIEWPORT });
    const tab = await local.newPage();
    await signInWithGatehouse(tab, hereOnly, { expectLogin: true });
    await Promise.all([tab.waitForURL(`${hereOnly.url}/?done=signed-out-here`), tab.getByRole('button', { name: 'Sign out' }).click()]);
    assert.match(await tab.getByRole('status').innerText(), /Signed out of this service\. Gatehouse offers no logout endpoint/);
    await exampleScreenshot(tab, 'webservice-oidc-signed-out-here');
    // Gatehouse's session goes on: signing in again needs no password.
    await signInWithGatehouse(tab, hereOnly, { expectLogin: false });
    await local.close();
  });

  it('POST /backchannel-logout ends the session a valid logout token names, and refuses replays and malformed tokens with 400', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const remote = await browser.newContext({ viewport: VIEWPORT });
    const tab = await remote.newPage();
    await signInWithGatehouse(tab, hereOnly, { expectLogin: true });
    const sid = /sid\s+(\S+)/.exec(await tab.locator('#id-token').innerText())?.[1];
    assert.ok(sid);

    const key = server.ctx.keys.signing;
    const iat = Math.floor(Date.now() / 1000);
    const logoutToken = (claims: Record<string, unknown> = {}, typ = 'logout+jwt') =>
      signCompact(
        { alg: key.alg, typ, kid: key.kid },
        { iss: server.ctx.issuer, aud: hereOnlyApp.clientId, iat, exp: iat + 120, jti: randomUUID(), sid, events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, ...claims },
        key.privateKey,
      );
    const post = async (body: string, type = 'application/x-www-form-urlencoded') => {
      const response = await fetch(`${hereOnly.url}/backchannel-logout`, { method: 'POST', headers: { 'content-type': type }, body });
      return { status: response.status, body: (await response.json()) as { error?: string; error_description?: string } };
    };
    const form = (token: string) => new URLSearchParams({ logout_token: token }).toString();

    for (const [why, token] of [
      ['no events', logoutToken({ events: undefined })],
      ['a nonce', logoutToken({ nonce: 'n' })],
      ['another audience', logoutToken({ aud: app.clientId })],
      ['an ID token', logoutToken({}, 'JWT')],
    ] as const) {
      const refused = await post(form(token));
      assert.equal(refused.status, 400, why);
      assert.equal(refused.body.error, 'invalid_request', why);
    }
    assert.equal((await post('{}', 'application/json')).status, 400, 'not a form');
    assert.equal((await post('')).status, 400, 'no logout_token');
    await tab.reload();
    assert.equal(await tab.getByRole('heading', { level: 1 }).innerText(), SIGNED_IN_HEADING, 'refused tokens end nothing');

    const valid = logoutToken();
    assert.deepEqual(await post(form(valid)), { status: 200, body: {} });
    await tab.goto(hereOnly.url);
    assert.equal(await tab.getByRole('heading', { level: 1 }).innerText(), 'Connect this service to Gatehouse', 'the session ended');
    await exampleScreenshot(tab, 'webservice-oidc-backchannel-ended');
    const replayed = await post(form(valid));
    assert.equal(replayed.status, 400);
    assert.match(replayed.body.error_description ?? '', /replay/);
    await remote.close();
  });
});
