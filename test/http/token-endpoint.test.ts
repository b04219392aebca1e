// The token endpoint over HTTP: every body and credential style ilert's docs and common clients
// use, the RFC error cases, and hostile input, none of which may cause a 500 or burn a good code.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, WEBAPP_REDIRECT, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { basicAuth, guideCodeChallenge, guideCodeVerifier, postForm, postRaw, tokenUrl, type JsonResponse } from '../helpers/token-client.ts';

const jane = { tenant: 'acme', username: 'jane', password: PASSWORD };
const FORM = 'application/x-www-form-urlencoded';

/** The error body every OAuth client can read, with the headers RFC 6749 §5.2 asks for. */
function assertOAuthError(response: JsonResponse, status: number, error: string): void {
  assert.equal(response.status, status, `status for ${error}: ${response.text}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(Object.keys(response.body).sort(), ['code', 'error', 'error_description']);
  assert.equal(response.body.error, error);
  assert.equal(response.body.code, error);
  assert.equal(typeof response.body.error_description, 'string');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.equal(response.headers.get('pragma'), 'no-cache');
  assert.doesNotMatch(response.text, /\bat [\w.<>]+ \(|node_modules|\.ts:\d+/, 'no stack trace');
}

forEachStore('token endpoint', (kind) => {
  let server: TestServer;
  let browser: Browserless;
  let url: string;
  before(async () => {
    server = await startTestServer({ store: kind.name });
    browser = new Browserless(server.url);
    url = tokenUrl(server.url);
  });
  after(() => server.close());

  /** A code for the backend app, as the sample backend asks for one (no PKCE). */
  const backendCode = (scope = 'profile source:w') =>
    browser.authorizeCode(
      authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope, state: 's' }),
      jane,
    );

  /** A PKCE code for the web app, and the verifier that redeems it. */
  async function webappCode(scope = 'profile offline_access'): Promise<{ code: string; verifier: string }> {
    const verifier = guideCodeVerifier();
    const query = authorizeQuery({
      client_id: server.webapp.clientId,
      response_type: 'code',
      redirect_uri: WEBAPP_REDIRECT,
      scope,
      code_challenge: guideCodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { code: await browser.authorizeCode(query, jane), verifier };
  }

  const backendForm = (code: string, extra: Record<string, string> = {}) => ({
    client_id: server.backend.clientId,
    client_secret: server.backend.clientSecret,
    code,
    grant_type: 'authorization_code',
    ...extra,
  });

  /** Proves a code survived a failed request: the proper request still redeems it. */
  async function assertStillRedeemable(code: string): Promise<void> {
    const ok = await postForm(url, backendForm(code));
    assert.equal(ok.status, 200, `the code still works afterwards: ${ok.text}`);
  }

  describe('request formats', () => {
    it('accepts a form body with and without ;charset=utf-8', async () => {
      for (const type of [FORM, `${FORM};charset=utf-8`, `${FORM}; charset=UTF-8`]) {
        const body = new URLSearchParams(backendForm(await backendCode())).toString();
        const response = await postRaw(url, body, { 'content-type': type });
        assert.equal(response.status, 200, `${type}: ${response.text}`);
        assert.equal(response.body.token_type, 'Bearer');
      }
    });

    it('accepts a JSON body sent as application/json', async () => {
      const response = await postRaw(url, JSON.stringify(backendForm(await backendCode())), { 'content-type': 'application/json' });
      assert.equal(response.status, 200, response.text);
    });

    it('accepts JSON text sent with the form content type (axios 0.x with the docs snippets)', async () => {
      const response = await postRaw(url, JSON.stringify(backendForm(await backendCode())), { 'content-type': FORM });
      assert.equal(response.status, 200, response.text);
      assert.equal(typeof response.body.refresh_token, 'string');
    });

    it('takes client_id from the query string (the token URL the settings page shows)', async () => {
      const code = await backendCode();
      const response = await postForm(`${url}?client_id=${server.backend.clientId}`, {
        client_secret: server.backend.clientSecret,
        code,
        grant_type: 'authorization_code',
      });
      assert.equal(response.status, 200, response.text);
    });

    it('accepts HTTP Basic client authentication', async () => {
      const response = await postForm(
        url,
        { code: await backendCode(), grant_type: 'authorization_code' },
        { authorization: basicAuth(server.backend.clientId, server.backend.clientSecret) },
      );
      assert.equal(response.status, 200, response.text);
    });

    it('rejects HTTP Basic together with client_secret in the body, keeping the code', async () => {
      const code = await backendCode();
      const response = await postForm(
        url,
        { code, grant_type: 'authorization_code', client_secret: server.backend.clientSecret },
        { authorization: basicAuth(server.backend.clientId, server.backend.clientSecret) },
      );
      assertOAuthError(response, 400, 'invalid_request');
      await assertStillRedeemable(code);
    });
  });

  describe('errors', () => {
    it('an unknown code is invalid_grant "Provided code is unknown"', async () => {
      const response = await postForm(url, backendForm('ghc_not-a-real-code'));
      assertOAuthError(response, 400, 'invalid_grant');
      assert.equal(response.body.error_description, 'Provided code is unknown');
    });

    it('a wrong secret is 401 invalid_client, and the code survives', async () => {
      const code = await backendCode();
      const response = await postForm(url, backendForm(code, { client_secret: 'f'.repeat(64) }));
      assertOAuthError(response, 401, 'invalid_client');
      assert.equal(response.headers.get('www-authenticate'), null, 'no Basic challenge when Basic was not used');
      await assertStillRedeemable(code);
    });

    it('a wrong secret over HTTP Basic is 401 invalid_client with WWW-Authenticate', async () => {
      const code = await backendCode();
      const response = await postForm(url, { code, grant_type: 'authorization_code' }, { authorization: basicAuth(server.backend.clientId, 'wrong') });
      assertOAuthError(response, 401, 'invalid_client');
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic /);
      await assertStillRedeemable(code);
    });

    it('an unknown client is 401 invalid_client', async () => {
      const response = await postForm(url, { client_id: '0'.repeat(20), client_secret: 'x', code: 'c', grant_type: 'authorization_code' });
      assertOAuthError(response, 401, 'invalid_client');
    });

    it('an unknown grant_type is unsupported_grant_type; a missing one invalid_request', async () => {
      assertOAuthError(await postForm(url, { client_id: server.backend.clientId, grant_type: 'password', username: 'jane', password: PASSWORD }), 400, 'unsupported_grant_type');
      assertOAuthError(await postForm(url, { client_id: server.backend.clientId, grant_type: 'implicit' }), 400, 'unsupported_grant_type');
      assertOAuthError(await postForm(url, { client_id: server.backend.clientId, code: 'c' }), 400, 'invalid_request');
    });

    it('a code past its 2 minutes is invalid_grant', async () => {
      const code = await backendCode();
      server.clock.advance(121);
      assertOAuthError(await postForm(url, backendForm(code)), 400, 'invalid_grant');
    });

    it('a code issued to another client is invalid_grant, and its own client can still redeem it', async () => {
      const { code, verifier } = await webappCode();
      const response = await postForm(url, backendForm(code, { code_verifier: verifier }));
      assertOAuthError(response, 400, 'invalid_grant');
      const own = await postForm(url, { client_id: server.webapp.clientId, grant_type: 'authorization_code', code, code_verifier: verifier });
      assert.equal(own.status, 200, own.text);
    });

    it('redirect_uri: optional, but when sent it must match', async () => {
      const code = await backendCode();
      const wrong = await postForm(url, backendForm(code, { redirect_uri: `${BACKEND_REDIRECT}/` }));
      assertOAuthError(wrong, 400, 'invalid_grant');
      await assertStillRedeemable(code);
      const right = await postForm(url, backendForm(await backendCode(), { redirect_uri: BACKEND_REDIRECT }));
      assert.equal(right.status, 200, right.text);
      const omitted = await postForm(url, backendForm(await backendCode()));
      assert.equal(omitted.status, 200, omitted.text);
    });
  });

  describe('PKCE', () => {
    const redeem = (code: string, extra: Record<string, string>) =>
      postForm(url, { client_id: server.webapp.clientId, grant_type: 'authorization_code', code, ...extra });

    it('a wrong verifier is invalid_grant, and the right one still redeems the code', async () => {
      const { code, verifier } = await webappCode();
      assertOAuthError(await redeem(code, { code_verifier: guideCodeVerifier() }), 400, 'invalid_grant');
      const right = await redeem(code, { code_verifier: verifier });
      assert.equal(right.status, 200, right.text);
    });

    it('a missing verifier is invalid_grant', async () => {
      const { code } = await webappCode();
      assertOAuthError(await redeem(code, {}), 400, 'invalid_grant');
    });

    it('a verifier for a code that had no challenge is invalid_grant (downgrade)', async () => {
      const code = await backendCode();
      assertOAuthError(await postForm(url, backendForm(code, { code_verifier: guideCodeVerifier() })), 400, 'invalid_grant');
    });

    it('a code without PKCE redeemed without the secret is invalid_client', async () => {
      const code = await backendCode();
      const response = await postForm(url, { client_id: server.backend.clientId, code, grant_type: 'authorization_code' });
      assertOAuthError(response, 401, 'invalid_client');
    });
  });

  describe('refresh tokens', () => {
    it('a refresh may narrow the scope, never widen it', async () => {
      const token = await postForm(url, backendForm(await backendCode('profile source:w')));
      const refresh = (scope: string) =>
        postForm(url, {
          client_id: server.backend.clientId,
          client_secret: server.backend.clientSecret,
          grant_type: 'refresh_token',
          refresh_token: String(token.body.refresh_token),
          scope,
        });
      const narrower = await refresh('profile');
      assert.equal(narrower.status, 200, narrower.text);
      assert.equal(narrower.body.scope, 'profile');
      const lower = await refresh('source');
      assert.equal(lower.status, 200, lower.text);
      assert.equal(lower.body.scope, 'source');
      assertOAuthError(await refresh('profile source:w alert'), 400, 'invalid_scope');
      assertOAuthError(await refresh('source:d'), 400, 'invalid_scope');
    });

    it('keeps at most 10 refresh tokens per app and user: the 11th revokes the oldest', async () => {
      // A user of its own, so tokens from other tests do not count.
      const { createUser } = await import('../../src/platform/accounts.ts');
      await createUser({ tenantId: server.tenant.id, username: 'limit', password: PASSWORD }, server.ctx);
      const own = new Browserless(server.url);
      const account = { tenant: 'acme', username: 'limit', password: PASSWORD };
      const tokens: string[] = [];
      for (let i = 0; i < 11; i++) {
        server.clock.advance(1);
        const code = await own.authorizeCode(
          authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile' }),
          account,
        );
        const token = await postForm(url, backendForm(code));
        assert.equal(token.status, 200, token.text);
        tokens.push(String(token.body.refresh_token));
      }
      const refresh = (refreshToken: string) =>
        postForm(url, { client_id: server.backend.clientId, client_secret: server.backend.clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken });
      assertOAuthError(await refresh(tokens[0] ?? ''), 400, 'invalid_grant');
      for (const [i, token] of tokens.slice(1).entries()) {
        assert.equal((await refresh(token)).status, 200, `token ${i + 2} is still live`);
      }
    });
  });

  describe('hostile input', () => {
    it('a repeated parameter is invalid_request, and the code survives', async () => {
      const code = await backendCode();
      const body = `${new URLSearchParams(backendForm(code)).toString()}&code=${encodeURIComponent(code)}`;
      assertOAuthError(await postRaw(url, body, { 'content-type': FORM }), 400, 'invalid_request');
      const twoCodes = `${new URLSearchParams(backendForm(code)).toString()}&code=other`;
      assertOAuthError(await postRaw(url, twoCodes, { 'content-type': FORM }), 400, 'invalid_request');
      await assertStillRedeemable(code);
    });

    it('JSON arrays, objects, numbers and booleans where strings belong are invalid_request', async () => {
      const code = await backendCode();
      const cases: Record<string, unknown>[] = [
        { ...backendForm(code), code: [code] },
        { ...backendForm(code), grant_type: ['authorization_code'] },
        { ...backendForm(code), client_id: { $ne: '' } },
        { ...backendForm(code), client_secret: 12345 },
        { ...backendForm(code), code_verifier: true },
        { ...backendForm(code), redirect_uri: null, client_id: [server.backend.clientId, 'x'] },
      ];
      for (const body of cases) {
        assertOAuthError(await postRaw(url, JSON.stringify(body), { 'content-type': 'application/json' }), 400, 'invalid_request');
      }
      for (const body of ['[]', '"text"', '42', 'null', 'true']) {
        assertOAuthError(await postRaw(url, body, { 'content-type': 'application/json' }), 400, 'invalid_request');
      }
      await assertStillRedeemable(code);
    });

    it('NUL bytes are invalid_request, and the code survives', async () => {
      const code = await backendCode();
      assertOAuthError(await postForm(url, backendForm(code, { code_verifier: 'a\0b' })), 400, 'invalid_request');
      assertOAuthError(await postForm(url, backendForm(`${code}\0`)), 400, 'invalid_request');
      assertOAuthError(await postRaw(url, JSON.stringify(backendForm(code, { scope: '\u0000' })), { 'content-type': 'application/json' }), 400, 'invalid_request');
      await assertStillRedeemable(code);
    });

    it('10 kB values are invalid_request, and the code survives', async () => {
      const code = await backendCode();
      assertOAuthError(await postForm(url, backendForm(code, { code_verifier: 'a'.repeat(10_240) })), 400, 'invalid_request');
      assertOAuthError(await postForm(url, backendForm(code, { redirect_uri: `${BACKEND_REDIRECT}?${'x'.repeat(10_240)}` })), 400, 'invalid_request');
      assertOAuthError(await postForm(url, backendForm('c'.repeat(10_240))), 400, 'invalid_request');
      await assertStillRedeemable(code);
    });

    it('an empty body, or none, is invalid_request', async () => {
      assertOAuthError(await postRaw(url, '', { 'content-type': FORM }), 400, 'invalid_request');
      assertOAuthError(await postRaw(url, '', { 'content-type': 'application/json' }), 400, 'invalid_request');
      assertOAuthError(await postRaw(url, undefined), 400, 'invalid_request');
    });

    it('unsupported content types get an OAuth JSON error, never a 500', async () => {
      const code = await backendCode();
      const form = new URLSearchParams(backendForm(code)).toString();
      for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream']) {
        const response = await postRaw(url, form, { 'content-type': type });
        assert.ok(response.status >= 400 && response.status < 500, `${type}: ${response.status}`);
        assertOAuthError(response, response.status, 'invalid_request');
      }
      await assertStillRedeemable(code);
    });

    it('invalid JSON is 400 invalid_request, with either content type', async () => {
      for (const type of ['application/json', FORM]) {
        assertOAuthError(await postRaw(url, '{"grant_type": "authorization_code",', { 'content-type': type }), 400, 'invalid_request');
      }
    });

    it('a body over 64 KiB is 413 with a JSON error', async () => {
      const big = `grant_type=authorization_code&padding=${'x'.repeat(70 * 1024)}`;
      assertOAuthError(await postRaw(url, big, { 'content-type': FORM }), 413, 'invalid_request');
      assertOAuthError(await postRaw(url, JSON.stringify({ padding: 'x'.repeat(70 * 1024) }), { 'content-type': 'application/json' }), 413, 'invalid_request');
    });

    it('odd but harmless input never causes a 500', async () => {
      const bodies: [string, string][] = [
        [FORM, 'grant_type=authorization_code&code=%ZZ&client_id=%'],
        [FORM, '&&&=&=='],
        [FORM, `grant_type=refresh_token&client_id=${server.webapp.clientId}&refresh_token=${'%F0%9F%92%A9'.repeat(50)}`],
        ['application/json', '{"__proto__": {"admin": true}, "grant_type": "authorization_code", "constructor": "x"}'],
        ['application/json', '{"grant_type": "authorization_code", "code": "\\ud800", "client_id": "\\udfff"}'],
        ['application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`],
      ];
      for (const [type, body] of bodies) {
        const response = await postRaw(url, body, { 'content-type': type });
        assert.ok(response.status >= 400 && response.status < 500, `${body.slice(0, 40)}: ${response.status} ${response.text}`);
        assert.equal(typeof response.body.error, 'string');
      }
    });

    it('an unreadable Basic header is 401 invalid_client with WWW-Authenticate, and the code survives', async () => {
      const code = await backendCode();
      const encode = (text: string) => Buffer.from(text).toString('base64');
      const unreadable = ['Basic', 'Basic ', 'Basic !!!', 'basic a b', `Basic ${encode('no-colon')}`, `Basic ${encode(':secret')}`, `Basic ${encode('%ZZ:x')}`];
      for (const authorization of unreadable) {
        const response = await postForm(url, { client_id: server.backend.clientId, grant_type: 'authorization_code', code }, { authorization });
        assertOAuthError(response, 401, 'invalid_client');
        assert.match(response.headers.get('www-authenticate') ?? '', /^Basic /, authorization);
      }
      await assertStillRedeemable(code);
    });
  });
});
