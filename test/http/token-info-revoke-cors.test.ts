// token_info and revoke as ilert documents them, and CORS: browser apps may call token, revoke
// and token_info from any origin (errors included); authorize and the pages never answer CORS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { guideCodeChallenge, guideCodeVerifier, postForm, postRaw, revokeUrl, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';

const jane = { tenant: 'acme', username: 'jane', password: PASSWORD };
const ORIGIN = 'http://localhost:4597';

forEachStore('token_info, revoke and CORS', (kind) => {
  let server: TestServer;
  let browser: Browserless;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    browser = new Browserless(server.url);
  });
  after(() => server.close());

  /** Tokens for the backend app (so with a refresh token). */
  async function backendTokens(scope = 'profile source:w') {
    const code = await browser.authorizeCode(
      authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope }),
      jane,
    );
    const token = await postForm(tokenUrl(server.url), {
      client_id: server.backend.clientId,
      client_secret: server.backend.clientSecret,
      code,
      grant_type: 'authorization_code',
    });
    assert.equal(token.status, 200, token.text);
    return { access: String(token.body.access_token), refresh: String(token.body.refresh_token) };
  }

  const info = (token: string) => postForm(tokenInfoUrl(server.url), { token });

  describe('token_info', () => {
    it('describes an active access token as ilert does', async () => {
      const { access } = await backendTokens();
      const response = await info(access);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.deepEqual(response.body, { active: true, tenant_id: 'acme', username: 'jane', scope: 'profile source:w', app_id: server.backend.app.id, aud: `${server.url}/api` });
      assert.equal(typeof response.body.app_id, 'number');
    });

    it('accepts the token as JSON too', async () => {
      const { access } = await backendTokens();
      const response = await postRaw(tokenInfoUrl(server.url), JSON.stringify({ token: access }), { 'content-type': 'application/json' });
      assert.equal(response.body.active, true);
    });

    it('garbage, refresh tokens and expired access tokens are {active:false}', async () => {
      const { access, refresh } = await backendTokens();
      for (const token of ['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', refresh, `${access.slice(0, -4)}AAAA`]) {
        const response = await info(token);
        assert.equal(response.status, 200);
        assert.deepEqual(response.body, { active: false });
      }
      server.clock.advance(3601);
      assert.deepEqual((await info(access)).body, { active: false }, 'expired after an hour');
    });

    it('a missing token is 400 invalid_request', async () => {
      for (const body of ['', 'token=', 'other=1']) {
        const response = await postRaw(tokenInfoUrl(server.url), body, { 'content-type': 'application/x-www-form-urlencoded' });
        assert.equal(response.status, 400);
        assert.equal(response.body.error, 'invalid_request');
        assert.equal(response.body.code, 'invalid_request');
      }
    });
  });

  describe('revoke', () => {
    it('an unknown token is 200 {}', async () => {
      for (const token of ['ghr_unknown', 'garbage', 'a.b.c']) {
        const response = await postForm(revokeUrl(server.url), { token });
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
        assert.deepEqual(response.body, {});
      }
    });

    it('a missing token is 400 invalid_request', async () => {
      const response = await postForm(revokeUrl(server.url), {});
      assert.equal(response.status, 400);
      assert.equal(response.body.error, 'invalid_request');
    });

    it('revoking an access token ends its whole family', async () => {
      const { access, refresh } = await backendTokens();
      const response = await postForm(revokeUrl(server.url), { token: access, token_type_hint: 'access_token' });
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {});
      assert.deepEqual((await info(access)).body, { active: false });
      const refreshed = await postForm(tokenUrl(server.url), {
        client_id: server.backend.clientId,
        client_secret: server.backend.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: refresh,
      });
      assert.equal(refreshed.status, 400);
      assert.equal(refreshed.body.error, 'invalid_grant');
    });

    it('revoking one family leaves the others alone', async () => {
      const first = await backendTokens();
      const second = await backendTokens();
      await postForm(revokeUrl(server.url), { token: first.refresh });
      assert.deepEqual((await info(first.access)).body, { active: false });
      assert.equal((await info(second.access)).body.active, true);
    });
  });

  describe('CORS', () => {
    const withOrigin = { origin: ORIGIN };

    function assertCors(response: { headers: Headers; status: number }, what: string): void {
      const allowed = response.headers.get('access-control-allow-origin');
      assert.ok(allowed === '*' || allowed === ORIGIN, `${what} (${response.status}) allows the origin, got ${allowed}`);
      assert.equal(response.headers.get('access-control-allow-credentials'), null, `${what}: no credentials`);
    }

    it('token, revoke and token_info answer with Access-Control-Allow-Origin, errors included', async () => {
      const verifier = guideCodeVerifier();
      const code = await browser.authorizeCode(
        authorizeQuery({
          client_id: server.webapp.clientId,
          response_type: 'code',
          redirect_uri: WEBAPP_REDIRECT,
          scope: 'profile offline_access',
          code_challenge: guideCodeChallenge(verifier),
          code_challenge_method: 'S256',
        }),
        jane,
      );
      const token = await postForm(tokenUrl(server.url), { client_id: server.webapp.clientId, grant_type: 'authorization_code', code, code_verifier: verifier }, withOrigin);
      assert.equal(token.status, 200);
      assertCors(token, 'token success');
      assertCors(await postForm(tokenUrl(server.url), { client_id: server.webapp.clientId, grant_type: 'authorization_code', code }, withOrigin), 'token replay');
      assertCors(await postForm(tokenUrl(server.url), { grant_type: 'nope' }, withOrigin), 'token unsupported grant');
      assertCors(await postForm(tokenUrl(server.url), { client_id: server.backend.clientId, client_secret: 'x', code: 'c', grant_type: 'authorization_code' }, withOrigin), 'token 401');
      assertCors(await postRaw(tokenUrl(server.url), 'x', { 'content-type': 'text/plain', ...withOrigin }), 'token 415');
      assertCors(await postRaw(tokenUrl(server.url), 'x'.repeat(70 * 1024), { 'content-type': 'application/x-www-form-urlencoded', ...withOrigin }), 'token 413');
      assertCors(await postRaw(tokenUrl(server.url), '{', { 'content-type': 'application/json', ...withOrigin }), 'token bad JSON');
      assertCors(await postForm(tokenInfoUrl(server.url), { token: String(token.body.access_token) }, withOrigin), 'token_info');
      assertCors(await postForm(tokenInfoUrl(server.url), {}, withOrigin), 'token_info error');
      assertCors(await postForm(revokeUrl(server.url), { token: String(token.body.refresh_token) }, withOrigin), 'revoke');
      assertCors(await postForm(revokeUrl(server.url), {}, withOrigin), 'revoke error');
    });

    it('answers the preflight of a JSON token request', async () => {
      const response = await fetch(tokenUrl(server.url), {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      assert.ok(response.status >= 200 && response.status < 300, `preflight ${response.status}`);
      assertCors(response, 'preflight');
      assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.match(response.headers.get('access-control-allow-headers') ?? '', /content-type/i);
    });

    it('authorize and the pages never carry CORS headers', async () => {
      const requests: [string, RequestInit][] = [
        [`/api/developers/oauth2/authorize?${authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile' })}`, {}],
        ['/api/developers/oauth2/authorize?client_id=unknown', {}],
        ['/api/developers/oauth2/authorize', { method: 'POST', body: 'decision=allow', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
        ['/api/developers/oauth2/authorize', { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } }],
        ['/login', {}],
        ['/login', { method: 'POST', body: 'username=jane', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
        ['/login', { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } }],
        ['/', {}],
      ];
      for (const [path, init] of requests) {
        const response = await fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), origin: ORIGIN }, redirect: 'manual' });
        for (const name of response.headers.keys()) {
          assert.ok(!name.startsWith('access-control-'), `${init.method ?? 'GET'} ${path} (${response.status}) has ${name}`);
        }
      }
    });
  });
});
