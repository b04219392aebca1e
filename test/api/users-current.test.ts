// GET /api/users/current as ilert's sample app and clients call it: bearer tokens in the header
// only, scope `profile`, ilert's error bodies, and CORS for the browser app.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm } from '../helpers/token-client.ts';
import { tokenFor, tokensFor } from '../helpers/tokens.ts';

const ORIGIN = 'http://localhost:4597';

forEachStore('GET /api/users/current', (kind) => {
  let server: TestServer;
  let token: string;
  const me = (headers: Record<string, string> = {}, query = '') =>
    fetch(`${server.url}/api/users/current${query}`, { headers: { accept: 'application/json', ...headers } });
  const bearer = (value: string, scheme = 'Bearer') => ({ authorization: `${scheme} ${value}` });

  before(async () => {
    server = await startTestServer({ store: kind.name });
    token = await tokenFor(server, 'profile');
  });
  after(() => server.close());

  it('returns the signed-in user as ilert User JSON, username included', async () => {
    const response = await me(bearer(token));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const user = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(user).sort(), [
      'avatarUrl', 'createdAt', 'department', 'email', 'firstName', 'id', 'language', 'lastName',
      'mutedUntil', 'position', 'region', 'role', 'shiftColor', 'timezone', 'updatedAt', 'username',
    ]);
    assert.equal(user.id, server.user.id);
    assert.equal(user.username, 'jane');
    assert.equal(user.firstName, 'Jane');
    assert.equal(user.lastName, 'Doe');
    assert.equal(user.email, 'jane@acme.example');
    assert.equal(user.role, 'ADMIN');
    assert.ok(['de', 'en'].includes(String(user.language)));
    assert.equal(user.createdAt, server.user.createdAt.toISOString());
  });

  it('accepts the scheme in any case', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const response = await me(bearer(token, scheme));
      assert.equal(response.status, 200, `scheme ${scheme}`);
      assert.equal(((await response.json()) as { username: string }).username, 'jane');
    }
  });

  it('answers 401 with a Bearer challenge and ilert error body when the header is missing', async () => {
    const response = await me();
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.status, 401);
    assert.equal(typeof body.message, 'string');
    assert.equal(typeof body.code, 'string');
  });

  it('answers 401 invalid_token for garbage, a forged signature and another scheme', async () => {
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    for (const value of ['not-a-jwt', forged, `${token}x`]) {
      const response = await me(bearer(value));
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
      assert.equal(((await response.json()) as { status: number }).status, 401);
    }
    const basic = await me({ authorization: `Basic ${Buffer.from('jane@acme:pw').toString('base64')}` });
    assert.equal(basic.status, 401);
    assert.match(basic.headers.get('www-authenticate') ?? '', /^Bearer /);
  });

  it('never accepts a token in the query string', async () => {
    const response = await me({}, `?access_token=${encodeURIComponent(token)}`);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
    const withHeader = await me(bearer(token), `?access_token=${encodeURIComponent(token)}`);
    assert.equal(withHeader.status, 401, 'a token in the URL is refused even next to a good header');
  });

  it('answers 403 OAUTH2_SCOPE_ERROR naming profile for a token without it', async () => {
    const sourceOnly = await tokenFor(server, 'source:d');
    const response = await me(bearer(sourceOnly));
    assert.equal(response.status, 403);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.status, 403);
    assert.equal(body.code, 'OAUTH2_SCOPE_ERROR');
    assert.equal(body.scope, 'profile');
    assert.equal(typeof body.message, 'string');
  });

  it('ends access when the app is revoked', async () => {
    const tokens = await tokensFor(server, 'profile');
    assert.equal((await me(bearer(tokens.accessToken))).status, 200);
    const revoked = await postForm(`${server.url}/api/developers/oauth2/revoke`, { token: tokens.refreshToken });
    assert.equal(revoked.status, 200);
    const response = await me(bearer(tokens.accessToken));
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('answers other methods with 405 and the API error body', async () => {
    const response = await fetch(`${server.url}/api/users/current`, { method: 'DELETE', headers: bearer(token) });
    assert.equal(response.status, 405);
    assert.match(response.headers.get('allow') ?? '', /GET/);
    assert.equal(((await response.json()) as { code: string }).code, 'METHOD_NOT_ALLOWED');
  });

  it('lets the browser app call it cross-origin: preflight, 200 and 401 all carry CORS headers', async () => {
    const preflight = await fetch(`${server.url}/api/users/current`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,accept' },
    });
    assert.ok(preflight.status >= 200 && preflight.status < 300, `preflight status ${preflight.status}`);
    const allowOrigin = preflight.headers.get('access-control-allow-origin');
    assert.ok(allowOrigin === '*' || allowOrigin === ORIGIN);
    const allowHeaders = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    assert.ok(allowHeaders.includes('authorization'), 'authorization is listed by name');
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /GET/);

    const ok = await me({ origin: ORIGIN, ...bearer(token) });
    assert.equal(ok.status, 200);
    assert.ok(ok.headers.get('access-control-allow-origin'));
    const denied = await me({ origin: ORIGIN });
    assert.equal(denied.status, 401);
    assert.ok(denied.headers.get('access-control-allow-origin'));
  });

  // Last: moving the clock past the token lifetime expires every token minted so far.
  it('answers 401 once the access token has expired', async () => {
    assert.equal((await me(bearer(token))).status, 200);
    server.clock.advance(3601);
    const response = await me(bearer(token));
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal(((await response.json()) as { status: number }).status, 401);
  });
});
