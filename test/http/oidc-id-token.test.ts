// OpenID Connect ID tokens at the token endpoint: issued for `openid` grants only, with the claims
// Core §2 requires, the nonce echoed, at_hash, and again on refresh (without the nonce).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { startSession } from '../../src/platform/login.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

forEachStore('OpenID Connect ID tokens', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  async function authorize(extra: Record<string, string>, browser = new Browserless(server.url)) {
    const query = new URLSearchParams({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, state: 's', ...extra });
    const { location } = await browser.authorize(query.toString(), { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.ok(location, 'redirected back');
    return location;
  }

  async function exchange(code: string) {
    return postForm(tokenUrl(server.url), { client_id: server.backend.clientId, client_secret: server.backend.clientSecret, code, grant_type: 'authorization_code' });
  }

  async function verified(idToken: string) {
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    return jwtVerify(idToken, jwks, { issuer: server.url, audience: server.backend.clientId, typ: 'JWT' });
  }

  const atHash = (token: string) => createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url');

  it('an openid code exchange returns a signed id_token with the required claims and the nonce', async () => {
    const location = await authorize({ scope: 'openid profile email', nonce: 'n-0S6_WzA2Mj' });
    const token = await exchange(location.searchParams.get('code') ?? '');
    assert.equal(token.status, 200);
    assert.equal(token.body.scope, 'profile openid email');
    const idToken = String(token.body.id_token);
    const header = decodeProtectedHeader(idToken);
    assert.equal(header.typ, 'JWT');
    assert.equal(header.kid, server.ctx.keys.signing.kid);
    const { payload } = await verified(idToken);
    assert.equal(payload.sub, String(server.user.id));
    assert.equal(payload.azp, server.backend.clientId);
    assert.equal(payload.nonce, 'n-0S6_WzA2Mj');
    assert.equal(payload.at_hash, atHash(String(token.body.access_token)));
    assert.deepEqual(payload.amr, ['pwd']);
    assert.equal(typeof payload.auth_time, 'number');
    assert.ok((payload.auth_time as number) <= (payload.iat as number));
    assert.equal((payload.exp as number) - (payload.iat as number), 3600);
    assert.match(String(payload.sid), /^[0-9a-f]{32}$/);
  });

  it('without a nonce the id_token has none; one browser session keeps one sid', async () => {
    const browser = new Browserless(server.url);
    const first = await exchange((await authorize({ scope: 'openid', nonce: 'abc' }, browser)).searchParams.get('code') ?? '');
    const second = await exchange((await authorize({ scope: 'openid' }, browser)).searchParams.get('code') ?? '');
    const a = (await verified(String(first.body.id_token))).payload;
    const b = (await verified(String(second.body.id_token))).payload;
    assert.equal(b.nonce, undefined);
    assert.equal(a.sid, b.sid);
    const other = await exchange((await authorize({ scope: 'openid' })).searchParams.get('code') ?? '');
    assert.notEqual((await verified(String(other.body.id_token))).payload.sid, a.sid, 'another sign-in, another sid');
  });

  it('a refresh of an openid grant returns a new id_token without the nonce', async () => {
    const token = await exchange((await authorize({ scope: 'openid profile', nonce: 'xyz' })).searchParams.get('code') ?? '');
    const first = (await verified(String(token.body.id_token))).payload;
    const refreshed = await postForm(tokenUrl(server.url), { client_id: server.backend.clientId, client_secret: server.backend.clientSecret, grant_type: 'refresh_token', refresh_token: String(token.body.refresh_token) });
    assert.equal(refreshed.status, 200);
    const { payload } = await verified(String(refreshed.body.id_token));
    assert.equal(payload.nonce, undefined);
    assert.equal(payload.sub, first.sub);
    assert.equal(payload.auth_time, first.auth_time);
    assert.equal(payload.sid, first.sid);
    assert.equal(payload.at_hash, atHash(String(refreshed.body.access_token)));
  });

  it("amr is how the session was signed in, at the exchange and on refresh", async () => {
    const { id } = await startSession(server.user, server.ctx, ['hwk', 'user']);
    const browser = new Browserless(server.url);
    browser.setCookie('gh_session', id);
    const token = await exchange((await authorize({ scope: 'openid' }, browser)).searchParams.get('code') ?? '');
    assert.deepEqual((await verified(String(token.body.id_token))).payload.amr, ['hwk', 'user']);
    const refreshed = await postForm(tokenUrl(server.url), { client_id: server.backend.clientId, client_secret: server.backend.clientSecret, grant_type: 'refresh_token', refresh_token: String(token.body.refresh_token) });
    assert.deepEqual((await verified(String(refreshed.body.id_token))).payload.amr, ['hwk', 'user']);
  });

  it('a grant without openid gets no id_token: the keys of an ilert-style response are as before', async () => {
    const token = await exchange((await authorize({ scope: 'profile source:w', nonce: 'ignored' })).searchParams.get('code') ?? '');
    assert.deepEqual(Object.keys(token.body).sort(), ['access_token', 'expires_in', 'refresh_token', 'refresh_token_expires_in', 'scope', 'token_type']);
    const refreshed = await postForm(tokenUrl(server.url), { client_id: server.backend.clientId, client_secret: server.backend.clientSecret, grant_type: 'refresh_token', refresh_token: String(token.body.refresh_token) });
    assert.equal(refreshed.body.id_token, undefined);
  });

  it('a nonce longer than 512 characters, or repeated, is invalid_request', async () => {
    const long = await authorize({ scope: 'openid', nonce: 'n'.repeat(513) });
    assert.equal(long.searchParams.get('error'), 'invalid_request');
    assert.equal(long.searchParams.get('code'), null);
    const ok = await authorize({ scope: 'openid', nonce: 'n'.repeat(512) });
    assert.ok(ok.searchParams.get('code'));
    const query = new URLSearchParams({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'openid', nonce: 'a' });
    query.append('nonce', 'b');
    const { location } = await new Browserless(server.url).authorize(query.toString(), { tenant: 'acme', username: 'jane', password: PASSWORD });
    assert.equal(location?.searchParams.get('error'), 'invalid_request');
  });
});
