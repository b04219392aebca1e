// OpenID Connect Discovery: the OAuth metadata where the two overlap, plus the provider's fields;
// nothing advertised that does not exist (RP-initiated logout does; back-channel logout not yet).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('OpenID Connect discovery', () => {
  let server: TestServer;
  let oidc: Record<string, unknown>;
  let oauth: Record<string, unknown>;
  before(async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/.well-known/openid-configuration`, { headers: { origin: 'http://localhost:4597' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    oidc = (await response.json()) as Record<string, unknown>;
    oauth = (await (await fetch(`${server.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
  });
  after(() => server.close());

  it('equals the OAuth metadata in every field the two share', () => {
    for (const [name, value] of Object.entries(oauth)) assert.deepEqual(oidc[name], value, name);
  });

  it('adds the OpenID provider fields, with endpoints that answer', async () => {
    assert.equal(oidc.issuer, server.url);
    assert.equal(oidc.userinfo_endpoint, `${server.url}/oauth2/userinfo`);
    assert.equal((await fetch(String(oidc.userinfo_endpoint))).status, 401);
    assert.deepEqual(oidc.subject_types_supported, ['public', 'pairwise']);
    assert.equal(oidc.claims_parameter_supported, true);
    assert.deepEqual(oidc.id_token_signing_alg_values_supported, [server.ctx.keys.signing.alg]);
    const scopes = oidc.scopes_supported as string[];
    for (const scope of ['openid', 'email', 'phone', 'profile', 'offline_access']) assert.ok(scopes.includes(scope), scope);
    const claims = oidc.claims_supported as string[];
    for (const claim of ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'name', 'email', 'email_verified', 'preferred_username', 'picture', 'phone_number', 'phone_number_verified', 'acr', 'tenant']) assert.ok(claims.includes(claim), claim);
    assert.deepEqual(oidc.response_types_supported, ['code']);
  });

  it('advertises the end_session_endpoint, which answers with a page, and back-channel logout with sid in every logout token', async () => {
    assert.equal(oidc.end_session_endpoint, `${server.url}/oauth2/logout`);
    const response = await fetch(String(oidc.end_session_endpoint), { redirect: 'manual' });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /You are signed out/);
    assert.equal(oidc.backchannel_logout_supported, true);
    assert.equal(oidc.backchannel_logout_session_supported, true);
  });
});
