// Client ID metadata documents with private_key_jwt, on both stores: the document's inline keys,
// or its jwks_uri fetched with the document defences (served over https under a host name that
// resolves to loopback, allowed by the development setting), and a jwks_uri on a private address
// refused before connecting.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { JWT_BEARER_ASSERTION_TYPE } from '../../src/oauth/client-assertion.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { clientAssertion, clientKey, type ClientKey } from '../helpers/client-keys.ts';
import { clientDocument, startDocumentServer, type DocumentServer } from '../helpers/document-server.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { testCertificate } from '../helpers/test-certificate.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

const REDIRECT = 'https://agent.test/callback';
const account = { tenant: 'acme', username: 'jane', password: PASSWORD };

forEachStore('client ID metadata documents with private_key_jwt', (kind) => {
  let server: TestServer;
  let docs: DocumentServer;
  let key: ClientKey;
  before(async () => {
    const certificate = testCertificate('agent.test');
    docs = await startDocumentServer({ ...certificate, hostname: 'agent.test' });
    const resolver = async (hostname: string) => [{ address: hostname === 'agent.test' ? '127.0.0.1' : '93.184.216.34', family: 4 }];
    server = await startTestServer({ store: kind.name, config: { cimdAllowLoopback: true }, appDeps: { clientDocuments: { resolver, ca: certificate.cert } } });
    key = await clientKey('ES256');
  });
  after(async () => {
    await docs.close();
    await server.close();
  });

  /** A code for the client (no PKCE: the assertion proves the client), then the token request with or without an assertion. */
  async function redeem(clientId: string, withAssertion: boolean) {
    const code = await new Browserless(server.url).authorizeCode(authorizeQuery({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'profile', state: 's' }), account);
    const assertion: Record<string, string> = withAssertion ? { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: await clientAssertion(key, clientId, server.url, server.clock.now()) } : { client_id: clientId };
    return postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...assertion });
  }

  it('authenticates with the keys the document holds, and refuses the client without an assertion', async () => {
    const clientId = docs.url('/inline.json');
    docs.serve('/inline.json', { body: clientDocument(clientId, { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [key.publicJwk] } }) });
    const tokens = await redeem(clientId, true);
    assert.equal(tokens.status, 200, tokens.text);
    assert.ok(tokens.body.refresh_token, 'a confidential client gets a refresh token without offline_access');
    const bare = await redeem(clientId, false);
    assert.equal(bare.status, 401);
    assert.equal(bare.body.error, 'invalid_client');
  });

  it('authenticates with keys published at the document\'s jwks_uri', async () => {
    const clientId = docs.url('/published.json');
    docs.serve('/keys.json', { body: JSON.stringify({ keys: [key.publicJwk] }), headers: { 'content-type': 'application/jwk-set+json' } });
    docs.serve('/published.json', { body: clientDocument(clientId, { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: docs.url('/keys.json') }) });
    const tokens = await redeem(clientId, true);
    assert.equal(tokens.status, 200, tokens.text);
    assert.equal(docs.hits('/keys.json'), 1);
  });

  it('refuses a jwks_uri on a private address before connecting', async () => {
    const clientId = docs.url('/private-keys.json');
    docs.serve('/private-keys.json', { body: clientDocument(clientId, { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://10.0.0.1/keys.json' }) });
    const refused = await redeem(clientId, true);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error, 'invalid_client');
    assert.match(String(refused.body.error_description), /jwks_uri https:\/\/10\.0\.0\.1\/keys\.json .*10\.0\.0\.1, a private address/);
  });
});
