// Rate limits as an attacker (or a runaway script) meets them: password and client-secret
// guessing slow down, per-IP request rates end in 429 with Retry-After, in each surface's shape.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_LIMITS } from '../../src/limits/rate-limiter.ts';
import { Browserless, authorizeQuery, formFields } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

async function tryLogin(browser: Browserless, password: string): Promise<Response> {
  const page = await (await browser.request('/login')).text();
  return browser.request('/login', { form: { ...formFields(page, '/login'), tenant: 'acme', username: 'jane', password } });
}

describe('rate limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimits: true });
  });
  after(() => server.close());

  it('lets a person mistype, then makes password guessing wait, with a clear page', async () => {
    const browser = new Browserless(server.url);
    for (let i = 0; i < DEFAULT_LIMITS.loginFailuresPerUser.limit; i++) assert.equal((await tryLogin(browser, `wrong ${i}`)).status, 401);
    const blocked = await tryLogin(browser, PASSWORD);
    assert.equal(blocked.status, 429, 'even the right password waits');
    assert.equal(blocked.headers.get('retry-after'), '1');
    assert.match(await blocked.text(), /Too many attempts\. Try again in 1 second\./);
    assert.equal(blocked.headers.getSetCookie().some((c) => c.startsWith('gh_session=')), false, 'no session');

    for (let i = 0; i < 3; i++) {
      server.clock.advance(2 ** i);
      assert.equal((await tryLogin(browser, 'still wrong')).status, 401);
    }
    const longer = await tryLogin(browser, PASSWORD);
    assert.equal(longer.status, 429);
    assert.equal(longer.headers.get('retry-after'), '8', 'each further failure doubles the wait');
    assert.match(await longer.text(), /Try again in 8 seconds\./);

    server.clock.advance(8);
    assert.equal((await tryLogin(browser, PASSWORD)).status, 303, 'after the wait the right password works');
    assert.equal((await tryLogin(browser, 'one typo')).status, 401, 'and success forgot the failures');
  });

  it('slows down client-secret guessing per client, with a JSON 429 and Retry-After', async () => {
    const guess = (secret: string) =>
      postForm(tokenUrl(server.url), { grant_type: 'refresh_token', client_id: server.backend.clientId, client_secret: secret, refresh_token: 'ghr_x' });
    for (let i = 0; i < DEFAULT_LIMITS.secretFailuresPerClient.limit; i++) assert.equal((await guess(`guess-${i}`)).status, 401);
    const blocked = await guess(server.backend.clientSecret);
    assert.equal(blocked.status, 429);
    assert.equal(blocked.headers.get('retry-after'), '1');
    assert.equal(blocked.body.error, 'temporarily_unavailable');
    assert.equal(blocked.headers.get('cache-control'), 'no-store');

    // The real client, once the wait is over, gets on with its work.
    server.clock.advance(1);
    const browser = new Browserless(server.url);
    const code = await browser.authorizeCode(
      authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile', state: 's' }),
      { tenant: 'acme', username: 'jane', password: PASSWORD },
    );
    const ok = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code });
    assert.equal(ok.status, 200, ok.text);
  });

  it('caps requests per IP on the API surface with a JSON 429 that browsers can read', async () => {
    server.clock.advance(120);
    const post = () =>
      server.app.inject({
        method: 'POST',
        url: '/api/developers/oauth2/token_info',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:4597' },
        payload: 'token=nothing',
      });
    for (let i = 0; i < DEFAULT_LIMITS.apiPerIp.limit; i++) assert.equal((await post()).statusCode, 200);
    const refused = await post();
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers['retry-after'], String(DEFAULT_LIMITS.apiPerIp.windowSeconds));
    assert.equal(refused.headers['access-control-allow-origin'], '*');
    assert.equal(refused.json().error, 'temporarily_unavailable');
    const api = await server.app.inject({ method: 'GET', url: '/api/users/current' });
    assert.equal(api.statusCode, 429);
    assert.equal(api.json().code, 'TOO_MANY_REQUESTS');
    const introspection = await server.app.inject({ method: 'POST', url: '/oauth2/introspect', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'token=x' });
    assert.equal(introspection.statusCode, 429);
    assert.equal(introspection.json().error, 'temporarily_unavailable', 'the standard OAuth paths answer in OAuth JSON too');
  });

  it('caps sign-in and authorize page loads per IP with a page', async () => {
    server.clock.advance(120);
    for (let i = 0; i < DEFAULT_LIMITS.pagesPerIp.limit; i++) assert.equal((await server.app.inject({ method: 'GET', url: '/login' })).statusCode, 200);
    const refused = await server.app.inject({ method: 'GET', url: '/login' });
    assert.equal(refused.statusCode, 429);
    assert.match(String(refused.headers['content-type']), /^text\/html/);
    assert.match(refused.body, /Too many attempts/);
    server.clock.advance(DEFAULT_LIMITS.pagesPerIp.windowSeconds);
    assert.equal((await server.app.inject({ method: 'GET', url: '/login' })).statusCode, 200, 'the window ends');
  });

  it('counts console pages with the sign-in pages', async () => {
    server.clock.advance(DEFAULT_LIMITS.pagesPerIp.windowSeconds);
    for (let i = 0; i < DEFAULT_LIMITS.pagesPerIp.limit; i++) assert.notEqual((await server.app.inject({ method: 'GET', url: '/console/apps' })).statusCode, 429);
    const refused = await server.app.inject({ method: 'GET', url: '/console/connections' });
    assert.equal(refused.statusCode, 429);
    assert.match(refused.body, /Too many attempts/);
    server.clock.advance(DEFAULT_LIMITS.pagesPerIp.windowSeconds);
  });
});
