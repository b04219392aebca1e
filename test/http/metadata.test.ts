// Discovery (RFC 8414) as a standard client reads it: the issuer it was configured with, absolute
// endpoints that really answer, and the rules it must follow.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('authorization server metadata', () => {
  let server: TestServer;
  let metadata: Record<string, unknown>;
  before(async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/.well-known/oauth-authorization-server`, { headers: { origin: 'http://localhost:4597' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(response.headers.get('access-control-allow-origin'), '*', 'browser apps can discover too');
    metadata = (await response.json()) as Record<string, unknown>;
  });
  after(() => server.close());

  it('names the issuer exactly as tokens and authorization responses do', () => {
    assert.equal(metadata.issuer, server.url);
  });

  it('lists endpoints on the issuer that answer', async () => {
    for (const name of ['authorization_endpoint', 'token_endpoint', 'revocation_endpoint', 'jwks_uri']) {
      const url = String(metadata[name]);
      assert.ok(url.startsWith(`${server.url}/`), `${name} is absolute on the issuer`);
    }
    const jwks = (await (await fetch(String(metadata.jwks_uri))).json()) as { keys: unknown[] };
    assert.equal(jwks.keys.length, 1);
    const token = await fetch(String(metadata.token_endpoint), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=nope' });
    assert.equal(((await token.json()) as { error: string }).error, 'unsupported_grant_type');
  });

  it('states the rules: code flow, PKCE S256 only, iss in responses, the grants and client auth methods', () => {
    assert.deepEqual(metadata.response_types_supported, ['code']);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    assert.deepEqual(metadata.grant_types_supported, ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code']);
    assert.deepEqual(metadata.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']);
    assert.deepEqual(metadata.token_endpoint_auth_signing_alg_values_supported, ['RS256', 'PS256', 'ES256', 'EdDSA']);
    assert.deepEqual(metadata.introspection_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
    assert.deepEqual(metadata.introspection_endpoint_auth_signing_alg_values_supported, ['RS256', 'PS256', 'ES256', 'EdDSA']);
    const scopes = metadata.scopes_supported as string[];
    for (const scope of ['profile', 'source:w', 'source:d', 'offline_access', 'wildcard:d']) assert.ok(scopes.includes(scope), scope);
  });
});
