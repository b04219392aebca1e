// What the SDK sends to the token, token_info, revoke and discovery endpoints, and how it reads
// their answers (RFC and ilert error layouts, non-OAuth answers), against a scripted fetch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OAuthClientError,
  UnexpectedResponseError,
  basicAuthorization,
  discover,
  exchangeCode,
  refresh,
  revoke,
  tokenInfo,
  type ClientConfig,
} from '@gatehouse/client';
import { FakeClock, FakeFetch, json, tokenResponse } from './fake-fetch.ts';

const TOKEN = '/api/developers/oauth2/token';

function setup(extra: Partial<ClientConfig> = {}) {
  const server = new FakeFetch();
  const clock = new FakeClock();
  const config: ClientConfig = { baseUrl: 'https://g.example', clientId: 'client-1', redirectUri: 'https://app.example/cb', fetch: server.fetch, now: clock.now, ...extra };
  return { server, clock, config };
}

describe('exchangeCode and refresh', () => {
  it('a public client sends client_id, code, verifier and redirect_uri as a form, and gets absolute expiry times', async () => {
    const { server, clock, config } = setup();
    server.on(TOKEN, () => tokenResponse('at-1', 'rt-1'));
    const tokens = await exchangeCode(config, { code: 'ghc_x', codeVerifier: 'v'.repeat(43) });
    const [sent] = server.to(TOKEN);
    assert.equal(sent?.method, 'POST');
    assert.equal(sent?.headers.get('content-type'), 'application/x-www-form-urlencoded');
    assert.equal(sent?.headers.get('accept'), 'application/json');
    assert.equal(sent?.headers.get('authorization'), null);
    assert.deepEqual(Object.fromEntries(sent?.form ?? []), {
      grant_type: 'authorization_code',
      code: 'ghc_x',
      code_verifier: 'v'.repeat(43),
      redirect_uri: 'https://app.example/cb',
      client_id: 'client-1',
    });
    assert.deepEqual(tokens, {
      accessToken: 'at-1',
      tokenType: 'Bearer',
      expiresAt: clock.time + 3600_000,
      scope: 'profile offline_access',
      refreshToken: 'rt-1',
      refreshTokenExpiresAt: clock.time + 31536000_000,
    });
  });

  it('client_secret_post puts the secret in the body; client_secret_basic form-encodes id and secret before base64', async () => {
    const { server, config } = setup({ clientId: 'id:with space', clientSecret: 'sé:cr+et/%' });
    server.on(TOKEN, () => tokenResponse('at', 'rt'));
    await exchangeCode(config, { code: 'c' });
    assert.equal(server.requests[0]?.form.get('client_secret'), 'sé:cr+et/%');
    assert.equal(server.requests[0]?.form.get('client_id'), 'id:with space');

    await exchangeCode({ ...config, clientAuthMethod: 'client_secret_basic' }, { code: 'c' });
    const basic = server.requests[1];
    assert.equal(basic?.form.get('client_secret'), null);
    assert.equal(basic?.form.get('client_id'), null);
    const header = basic?.headers.get('authorization') ?? '';
    assert.equal(header, basicAuthorization('id:with space', 'sé:cr+et/%'));
    const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('latin1');
    assert.equal(decoded, 'id%3Awith+space:s%C3%A9%3Acr%2Bet%2F%25');
    const [id, secret] = decoded.split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    assert.deepEqual([id, secret], ['id:with space', 'sé:cr+et/%']);
  });

  it('refresh keeps the refresh token a non-rotating server does not resend, and takes a rotated one', async () => {
    const { server, config } = setup();
    server.on(TOKEN, (r) => (r.form.get('refresh_token') === 'rt-old' ? tokenResponse('at-2') : tokenResponse('at-3', 'rt-new')));
    const kept = await refresh(config, 'rt-old');
    assert.equal(kept.refreshToken, 'rt-old');
    assert.equal(kept.accessToken, 'at-2');
    const rotated = await refresh(config, 'rt-other', { scope: 'profile' });
    assert.equal(rotated.refreshToken, 'rt-new');
    assert.deepEqual(Object.fromEntries(server.requests[1]?.form ?? []), { grant_type: 'refresh_token', refresh_token: 'rt-other', scope: 'profile', client_id: 'client-1' });
  });

  it('throws OAuthClientError with code, description and status, in the RFC and in ilert’s error layout', async () => {
    const { server, config } = setup();
    const cases = [
      { body: { error: 'invalid_grant', error_description: 'Provided code is unknown', code: 'invalid_grant' }, status: 400, code: 'invalid_grant', description: 'Provided code is unknown' },
      { body: { code: 'invalid_grant', error: 'Provided code is unknown' }, status: 401, code: 'invalid_grant', description: 'Provided code is unknown' },
      { body: { error: 'invalid_client', error_description: 'Client authentication failed' }, status: 401, code: 'invalid_client', description: 'Client authentication failed' },
      { body: { error: 'invalid_scope' }, status: 400, code: 'invalid_scope', description: undefined },
    ];
    for (const { body, status, code, description } of cases) {
      server.on(TOKEN, () => json(status, body));
      await assert.rejects(exchangeCode(config, { code: 'c' }), (e: unknown) => {
        assert.ok(e instanceof OAuthClientError);
        assert.deepEqual([e.code, e.description, e.status], [code, description, status]);
        return true;
      });
    }
  });

  it('throws UnexpectedResponseError for an HTML error page, a token response without a token, or another token type', async () => {
    const { server, config } = setup();
    const answers = [
      new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
      json(200, { token_type: 'Bearer', expires_in: 3600 }),
      json(200, { token_type: 'DPoP', access_token: 'x' }),
      json(200, ['not', 'an', 'object']),
      json(500, { message: 'boom' }),
    ];
    for (const answer of answers) {
      server.on(TOKEN, () => answer);
      await assert.rejects(exchangeCode(config, { code: 'c' }), (e: unknown) => e instanceof UnexpectedResponseError && e.status === answer.status);
    }
  });
});

describe('tokenInfo and revoke', () => {
  it('token_info sends the token alone and returns ilert’s fields, or {active: false}', async () => {
    const { server, config } = setup({ clientSecret: 'secret' });
    server.on('/api/developers/oauth2/token_info', (r) =>
      json(200, r.form.get('token') === 'good' ? { active: true, tenant_id: 'acme', username: 'jane', scope: 'profile', app_id: 7 } : { active: false }),
    );
    assert.deepEqual(await tokenInfo(config, 'good'), { active: true, tenant_id: 'acme', username: 'jane', scope: 'profile', app_id: 7 });
    assert.deepEqual(await tokenInfo(config, 'bad'), { active: false });
    assert.deepEqual(Object.fromEntries(server.requests[0]?.form ?? []), { token: 'good' }, 'no client credentials go to token_info');
    server.on('/api/developers/oauth2/token_info', () => json(200, { active: true }));
    await assert.rejects(tokenInfo(config, 'x'), UnexpectedResponseError);
  });

  it('revoke posts the token with a type hint and the client’s credentials, and surfaces an error', async () => {
    const { server, config } = setup({ clientSecret: 'secret', clientAuthMethod: 'client_secret_basic' });
    server.on('/api/developers/oauth2/revoke', (r) => (r.form.get('token') ? json(200, {}) : json(400, { error: 'invalid_request', error_description: 'token is required' })));
    await revoke(config, 'ghr_1', { tokenTypeHint: 'refresh_token' });
    assert.deepEqual(Object.fromEntries(server.requests[0]?.form ?? []), { token: 'ghr_1', token_type_hint: 'refresh_token' });
    assert.match(server.requests[0]?.headers.get('authorization') ?? '', /^Basic /);
    await assert.rejects(revoke(config, ''), (e: unknown) => e instanceof OAuthClientError && e.code === 'invalid_request' && e.status === 400);
  });
});

describe('discover', () => {
  const metadata = {
    issuer: 'https://g.example',
    authorization_endpoint: 'https://g.example/authz',
    token_endpoint: 'https://g.example/tok',
    revocation_endpoint: 'https://g.example/rev',
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
  };

  it('reads the endpoints and the iss requirement from the metadata', async () => {
    const server = new FakeFetch().on('/.well-known/oauth-authorization-server', () => json(200, metadata));
    const found = await discover('https://g.example/', { fetch: server.fetch });
    assert.deepEqual(found.endpoints, {
      authorize: 'https://g.example/authz',
      token: 'https://g.example/tok',
      tokenInfo: 'https://g.example/api/developers/oauth2/token_info',
      revoke: 'https://g.example/rev',
    });
    assert.equal(found.issuer, 'https://g.example');
    assert.equal(found.requireIss, true);
  });

  it('refuses metadata that names another issuer or lacks S256', async () => {
    for (const bad of [{ ...metadata, issuer: 'https://evil.example' }, { ...metadata, code_challenge_methods_supported: ['plain'] }]) {
      const server = new FakeFetch().on('/.well-known/oauth-authorization-server', () => json(200, bad));
      await assert.rejects(discover('https://g.example', { fetch: server.fetch }), UnexpectedResponseError);
    }
    const missing = new FakeFetch();
    await assert.rejects(discover('https://g.example', { fetch: missing.fetch }), (e: unknown) => e instanceof UnexpectedResponseError && e.status === 404);
  });
});
