// examples/webservice in a real Chromium against a real Gatehouse: /authorize, the real login and
// consent pages, the code traded with the client secret on the server, the profile and alert
// sources, one refresh after two parallel 401s, the Refresh button, and sign-out revoking.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningExample } from '../../examples/shared/http.ts';
import { startWebserviceExample } from '../../examples/webservice/server.ts';
import { newIntegrationKey } from '../../src/api/alert-sources.ts';
import { createUser } from '../../src/platform/accounts.ts';
import { CHROMIUM_MISSING, launchChromium } from '../helpers/chromium.ts';
import { exampleScreenshot, inspectExamplePage, pageTrouble, recordingFetch, registerExampleApp, type RecordedCall } from '../helpers/example-apps.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { AUTHORIZE_PATH, signIn } from './browser-steps.ts';
import { freePort } from '../../scripts/free-port.ts';

describe('examples/webservice in a real browser', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let example: RunningExample;
  let app: { clientId: string; clientSecret: string };
  const recorder = recordingFetch();
  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    const port = await freePort();
    app = await registerExampleApp(server, 'webservice', port, 'Example web service');
    example = await startWebserviceExample({ gatehouseUrl: server.url, clientId: app.clientId, clientSecret: app.clientSecret, port }, { fetch: recorder.fetch });
    const policy = await server.store.escalationPolicies.create(server.tenant.id, 'On call');
    await server.store.alertSources.create(
      server.tenant.id,
      {
        name: 'Checkout API',
        integrationType: 'PROMETHEUS',
        escalationPolicyId: policy.id,
        active: true,
        alertCreation: 'ONE_ALERT_PER_EMAIL',
        alertPriorityRule: 'HIGH',
        autoResolutionTimeout: null,
        alertGroupingWindow: null,
        teams: [],
      },
      newIntegrationKey(),
      server.clock.now(),
    );
  });
  after(async () => {
    await example?.close();
    await browser?.close();
    await server.close();
  });

  const tokenCalls = (grantType: string) => recorder.calls.filter((c) => c.url.pathname.endsWith('/oauth2/token') && c.form?.get('grant_type') === grantType);
  const lastTokens = () => tokenCalls('refresh_token').concat(tokenCalls('authorization_code')).at(-1)?.tokens;
  const since = (mark: number) => recorder.calls.slice(mark);
  const summary = (calls: RecordedCall[]) => calls.map((c) => `${c.status} ${c.method} ${c.url.pathname}${c.form?.get('grant_type') ? ` ${c.form.get('grant_type')}` : ''}`);

  it('Connect → sign in → Allow → profile and alert sources; 401 → one refresh; Refresh; sign-out revokes', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const trouble = pageTrouble(page);
    const problems: string[] = [];

    await page.goto(example.url);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connect this service to Gatehouse');
    problems.push(...(await inspectExamplePage(page, 'webservice-1-start')));
    await Promise.all([page.waitForURL((url) => url.pathname === AUTHORIZE_PATH), page.getByRole('link', { name: 'Connect with Gatehouse' }).click()]);
    const asked = new URL(page.url());
    assert.equal(asked.searchParams.get('client_id'), app.clientId);
    assert.equal(asked.searchParams.get('scope'), 'profile source:w');
    assert.equal(asked.searchParams.get('redirect_uri'), `${example.url}/authorize-result`);
    const stateCookie = (await context.cookies(`${example.url}/authorize-result`)).find((c) => c.name === 'example_state');
    assert.equal(stateCookie?.value, asked.searchParams.get('state'), 'the state waits in a cookie');
    assert.equal(stateCookie?.httpOnly, true);
    await exampleScreenshot(page, 'webservice-2-login');

    await signIn(page);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Example web service wants to access your account');
    await exampleScreenshot(page, 'webservice-3-consent');
    await Promise.all([page.waitForURL(`${example.url}/?done=connected`), page.click('button[name=decision][value=allow]')]);

    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connected to Gatehouse');
    assert.match(await page.locator('#profile').innerText(), /jane/);
    assert.match(await page.locator('#alert-sources').innerText(), /Checkout API\s+PROMETHEUS\s+ALL_RESOLVED/);
    problems.push(...(await inspectExamplePage(page, 'webservice-4-dashboard')));
    const [exchange] = tokenCalls('authorization_code');
    assert.equal(exchange?.status, 200);
    assert.equal(exchange.form?.get('client_secret'), app.clientSecret, 'the code is traded with the secret');
    assert.match(exchange.form?.get('code_verifier') ?? '', /^[A-Za-z0-9_-]{43,128}$/, 'and with PKCE');
    const first = exchange.tokens;
    assert.ok(first?.access_token && first.refresh_token);
    const html = await page.content();
    assert.ok(!html.includes(first.access_token) && !html.includes(first.refresh_token), 'no token reaches the browser');
    const session = (await context.cookies(example.url)).find((c) => c.name === 'example_session');
    assert.equal(session?.httpOnly, true);

    // An hour passes at Gatehouse: both API calls of the next page get a 401, and one refresh serves both.
    server.clock.advance(3601);
    const mark = recorder.calls.length;
    await page.getByRole('link', { name: 'Reload' }).click();
    await page.getByRole('status').filter({ hasText: 'The access token was renewed' }).waitFor();
    const afterExpiry = summary(since(mark));
    assert.equal(afterExpiry.filter((c) => c.startsWith('401 GET /api/')).length, 2, afterExpiry.join('\n'));
    assert.deepEqual(afterExpiry.filter((c) => c.includes('refresh_token')), ['200 POST /api/developers/oauth2/token refresh_token'], 'one refresh, not one per call');
    assert.match(await page.locator('#alert-sources').innerText(), /Checkout API/);
    await exampleScreenshot(page, 'webservice-5-renewed-after-401');

    await Promise.all([page.waitForURL(`${example.url}/?done=refreshed`), page.getByRole('button', { name: 'Refresh tokens' }).click()]);
    assert.equal(await page.getByRole('status').innerText(), 'Tokens refreshed.');
    assert.equal(tokenCalls('refresh_token').length, 2);
    assert.match(await page.locator('#tokens').innerText(), /Renewed\s+2 times/);

    const latest = lastTokens();
    assert.ok(latest?.access_token);
    await Promise.all([page.waitForURL(`${example.url}/?done=signed-out`), page.getByRole('button', { name: 'Sign out and revoke' }).click()]);
    assert.equal(await page.getByRole('status').innerText(), 'Signed out: Gatehouse revoked the tokens.');
    assert.ok(await page.getByRole('link', { name: 'Connect with Gatehouse' }).isVisible());
    await exampleScreenshot(page, 'webservice-6-signed-out');
    const revoke = recorder.calls.at(-1);
    assert.equal(revoke?.url.pathname, '/api/developers/oauth2/revoke');
    assert.equal(revoke.status, 200);
    assert.equal(revoke.form?.get('token'), first.refresh_token, 'the service keeps its refresh token (a confidential client is not rotated)');

    for (const accessToken of [first.access_token, latest.access_token]) {
      const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(me.status, 401, 'the revoked grant ends its access tokens');
    }
    const refused = await postForm(tokenUrl(server.url), {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    assert.equal(refused.body.error, 'invalid_grant');
    assert.deepEqual([...problems, ...trouble], []);
    await context.close();
  });

  it('Cancel on the consent page: the service shows the access_denied that handleCallback raised', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    // Someone who has not allowed the app yet, so that the consent page is shown.
    await createUser({ tenantId: server.tenant.id, username: 'kim', password: PASSWORD }, server.ctx);
    const mark = recorder.calls.length;
    await page.goto(`${example.url}/authorize`);
    await signIn(page, 'acme', 'kim');
    await Promise.all([page.waitForURL(`${example.url}/authorize-result?**`), page.getByRole('button', { name: 'Cancel' }).click()]);
    assert.equal(await page.getByRole('alert').innerText(), 'Gatehouse answered access_denied: The user denied the request');
    assert.deepEqual(since(mark), [], 'no token request');
    const cookieNames = (await context.cookies(`${example.url}/authorize-result`)).map((c) => c.name);
    assert.ok(!cookieNames.includes('example_state'), 'the state cookie is spent');
    await exampleScreenshot(page, 'webservice-cancelled');
    await context.close();
  });

  it('a callback whose state this browser never got is refused before any token request', async (t) => {
    if (!browser) return t.skip(CHROMIUM_MISSING);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const mark = recorder.calls.length;
    const response = await page.goto(`${example.url}/authorize-result?code=ghc_forged&state=forged&iss=${encodeURIComponent(server.url)}`);
    assert.equal(response?.status(), 400);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign-in not started here');
    assert.deepEqual(since(mark), [], 'nothing was sent to Gatehouse');
    await exampleScreenshot(page, 'webservice-forged-callback');
    await context.close();
  });
});
