// The MCP TypeScript SDK's own OAuth client functions (@modelcontextprotocol/sdk/client/auth.js)
// against a real Gatehouse with open registration: discovery, registerClient (RFC 7591, its schema
// parses our answer), the authorization with PKCE on the real pages, the code exchange and a
// refresh, for a public client and a confidential one. A rejection here is a server bug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { discoverAuthorizationServerMetadata, exchangeAuthorization, refreshAuthorization, registerClient, startAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import { Browserless } from '../helpers/browserless.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';

const REDIRECT = 'http://127.0.0.1:47123/oauth/callback';

describe('MCP SDK client registration and sign-in', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { registration: 'open' } });
  });
  after(() => server.close());

  async function signIn(clientMetadata: Parameters<typeof registerClient>[1]['clientMetadata']) {
    const metadata = await discoverAuthorizationServerMetadata(server.url);
    assert.ok(metadata?.registration_endpoint, 'discovery offers registration');
    const clientInformation = await registerClient(server.url, { metadata, clientMetadata });
    const { authorizationUrl, codeVerifier } = await startAuthorization(server.url, { metadata, clientInformation, redirectUrl: REDIRECT, scope: 'profile offline_access', state: 'mcp-state' });
    const { location } = await new Browserless(server.url).authorize(authorizationUrl.search.slice(1), { tenant: 'acme', username: 'jane', password: PASSWORD });
    const code = location?.searchParams.get('code');
    assert.ok(code, `a code in ${location?.toString() ?? 'no redirect'}`);
    assert.equal(location?.searchParams.get('state'), 'mcp-state');
    const tokens = await exchangeAuthorization(server.url, { metadata, clientInformation, authorizationCode: code, codeVerifier, redirectUri: REDIRECT });
    const me = await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(me.status, 200);
    return { metadata, clientInformation, tokens };
  }

  it('registers a public client (none) and signs in, then refreshes', async () => {
    const { metadata, clientInformation, tokens } = await signIn({ client_name: 'MCP Inspector', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] });
    assert.equal(clientInformation.client_secret, undefined);
    assert.ok(tokens.refresh_token);
    const refreshed = await refreshAuthorization(server.url, { metadata, clientInformation, refreshToken: tokens.refresh_token });
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, "a public client's refresh token rotates");
  });

  it('registers a confidential client (the default method) and signs in with its secret', async () => {
    const { clientInformation, tokens } = await signIn({ client_name: 'MCP backend', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'] });
    assert.equal(typeof clientInformation.client_secret, 'string');
    assert.equal(clientInformation.client_secret_expires_at, 0);
    assert.ok(tokens.refresh_token, 'the secret was sent, so a refresh token comes');
  });
});
