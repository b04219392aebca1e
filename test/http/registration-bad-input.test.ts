// Bad client metadata on SQLite and PostgreSQL: each gets the RFC 7591 error (invalid_redirect_uri
// or invalid_client_metadata) with a description naming the field, or the body's 400/413/415-like
// answer, never a 500, and none of them registers anything.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, it } from 'node:test';
import { register } from '../helpers/registration.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';

const OK = { client_name: 'Agent', redirect_uris: ['https://agent.example/cb'], token_endpoint_auth_method: 'none' };
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PUBLIC_JWK = publicKey.export({ format: 'jwk' });
const PRIVATE_JWK = privateKey.export({ format: 'jwk' });

/** [what, metadata, error code, what the description must name] */
const CASES: [string, Record<string, unknown>, string, RegExp][] = [
  ['javascript: redirect', { ...OK, redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri', /redirect_uris\[0\]/],
  ['data: redirect', { ...OK, redirect_uris: ['https://agent.example/ok', 'data:text/html,<script>alert(1)</script>'] }, 'invalid_redirect_uri', /redirect_uris\[1\]/],
  ['a fragment', { ...OK, redirect_uris: ['https://agent.example/cb#frag'] }, 'invalid_redirect_uri', /redirect_uris\[0\].*fragment/],
  ['http off loopback', { ...OK, redirect_uris: ['http://agent.example/cb'] }, 'invalid_redirect_uri', /redirect_uris\[0\].*http only for localhost/],
  ['credentials in the URI', { ...OK, redirect_uris: ['https://user:pw@agent.example/cb'] }, 'invalid_redirect_uri', /credentials/],
  ['a relative URI', { ...OK, redirect_uris: ['/cb'] }, 'invalid_redirect_uri', /not an absolute URL/],
  ['21 redirect URIs', { ...OK, redirect_uris: Array.from({ length: 21 }, (_, i) => `https://agent.example/cb${i}`) }, 'invalid_redirect_uri', /redirect_uris may hold at most 20/],
  ['100 redirect URIs', { ...OK, redirect_uris: Array.from({ length: 100 }, (_, i) => `https://agent.example/cb${i}`) }, 'invalid_redirect_uri', /redirect_uris may hold at most 20/],
  ['no redirect URI for the code grant', { ...OK, redirect_uris: [] }, 'invalid_redirect_uri', /redirect_uris is required/],
  ['redirect_uris not a list', { ...OK, redirect_uris: 'https://agent.example/cb' }, 'invalid_redirect_uri', /redirect_uris must be an array/],
  ['an unknown auth method', { ...OK, token_endpoint_auth_method: 'client_secret_jwt' }, 'invalid_client_metadata', /token_endpoint_auth_method/],
  ['an auth method of the wrong type', { ...OK, token_endpoint_auth_method: 7 }, 'invalid_client_metadata', /token_endpoint_auth_method/],
  ['an unknown grant type', { ...OK, grant_types: ['authorization_code', 'password'] }, 'invalid_client_metadata', /grant_types.*"password"/],
  ['implicit', { ...OK, grant_types: ['implicit'], response_types: ['token'] }, 'invalid_client_metadata', /grant_types.*"implicit"/],
  ['client_credentials', { ...OK, token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'] }, 'invalid_client_metadata', /grant_types/],
  ['refresh_token alone', { ...OK, grant_types: ['refresh_token'] }, 'invalid_client_metadata', /grant_types: refresh_token alone/],
  ['no grant type', { ...OK, grant_types: [] }, 'invalid_client_metadata', /grant_types/],
  ['response type token', { ...OK, response_types: ['token'] }, 'invalid_client_metadata', /response_types.*"token"/],
  ['code without authorization_code', { ...OK, grant_types: ['authorization_code'], response_types: [] }, 'invalid_client_metadata', /response_types and grant_types disagree/],
  ['private_key_jwt without keys', { ...OK, token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata', /jwks or jwks_uri/],
  ['both jwks and jwks_uri', { ...OK, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [PUBLIC_JWK] }, jwks_uri: 'https://agent.example/jwks' }, 'invalid_client_metadata', /jwks and jwks_uri/],
  ['a private key in jwks', { ...OK, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [PRIVATE_JWK] } }, 'invalid_client_metadata', /jwks keys\[0\] holds private key material/],
  ['a broken key', { ...OK, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }] } }, 'invalid_client_metadata', /jwks keys\[0\] is not a valid public key/],
  ['jwks_uri over http', { ...OK, token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://agent.example/jwks' }, 'invalid_client_metadata', /jwks_uri must be an https URL/],
  ['a javascript: client_uri', { ...OK, client_uri: 'javascript:alert(1)' }, 'invalid_client_metadata', /client_uri/],
  ['an http logo off loopback', { ...OK, logo_uri: 'http://agent.example/logo.png' }, 'invalid_client_metadata', /logo_uri/],
  ['a custom-scheme policy page', { ...OK, policy_uri: 'com.agent.app:/policy' }, 'invalid_client_metadata', /policy_uri must be an https URL/],
  ['a long client name', { ...OK, client_name: 'x'.repeat(101) }, 'invalid_client_metadata', /client_name must be at most 100/],
  ['a client name that is not text', { ...OK, client_name: { en: 'Agent' } }, 'invalid_client_metadata', /client_name must be a string/],
  ['contacts that are not addresses', { ...OK, contacts: ['call me'] }, 'invalid_client_metadata', /contacts/],
  ['an unknown application type', { ...OK, application_type: 'browser' }, 'invalid_client_metadata', /application_type/],
  ['a NUL in software_id', { ...OK, software_id: 'a\u0000b' }, 'invalid_client_metadata', /software_id/],
];

forEachStore('dynamic client registration: bad input', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name, config: { registration: 'open' } });
  });
  after(() => server.close());
  const count = async () => (await server.store.apps.list()).length;

  it('refuses each bad document with its RFC 7591 error naming the field, and registers nothing', async () => {
    const before = await count();
    for (const [what, metadata, error, names] of CASES) {
      const answer = await register(server.url, metadata);
      assert.equal(answer.status, 400, `${what}: ${answer.text}`);
      assert.equal(answer.body.error, error, what);
      assert.equal(answer.body.code, error, what);
      assert.match(String(answer.body.error_description), names, what);
    }
    assert.equal(await count(), before);
  });

  it('refuses bodies that are not a JSON object, and ones over 64 kB', async () => {
    const before = await count();
    const form = await register(server.url, 'client_name=Agent&redirect_uris=https://agent.example/cb', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 400);
    assert.equal(form.body.error, 'invalid_client_metadata');
    assert.match(String(form.body.error_description), /application\/json/);
    for (const text of ['[1, 2]', '"text"', '{"client_name": ', '']) {
      const answer = await register(server.url, text);
      assert.equal(answer.status, 400, `${JSON.stringify(text)}: ${answer.text}`);
      assert.equal(typeof answer.body.error, 'string');
    }
    const huge = await register(server.url, { ...OK, software_id: 'x'.repeat(70 * 1024) });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error, 'invalid_request');
    assert.match(String(huge.body.error_description), /too large/);
    assert.equal(await count(), before);
  });

  it('ignores what it does not understand, and says what it registered', async () => {
    const answer = await register(server.url, { ...OK, client_id: 'chosen-by-client', client_secret: 'chosen', software_statement: 'eyJ...', 'client_name#ja': 'エージェント', tos_uri: null, extension: { anything: true } });
    assert.equal(answer.status, 201, answer.text);
    assert.notEqual(answer.body.client_id, 'chosen-by-client');
    assert.equal(answer.body.client_secret, undefined);
    for (const field of ['software_statement', 'client_name#ja', 'tos_uri', 'extension']) assert.equal(field in answer.body, false, field);
  });

  it('registers private_key_jwt with a public JWK Set or a jwks_uri', async () => {
    const inline = await register(server.url, { ...OK, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [PUBLIC_JWK] } });
    assert.equal(inline.status, 201, inline.text);
    assert.equal(inline.body.client_secret, undefined, 'no shared secret for private_key_jwt');
    assert.deepEqual(inline.body.jwks, { keys: [PUBLIC_JWK] });
    const published = await register(server.url, { ...OK, token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://agent.example/jwks.json' });
    assert.equal(published.status, 201, published.text);
    assert.equal(published.body.jwks_uri, 'https://agent.example/jwks.json');
    const stored = await server.store.apps.byClientId(String(published.body.client_id));
    assert.equal(stored?.tokenEndpointAuthMethod, 'private_key_jwt');
    assert.equal(stored?.clientSecretHash, null);
  });
});
