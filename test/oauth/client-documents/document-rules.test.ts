// Which client_ids are document URLs, and what a fetched document must hold to become a client.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentUrl, isDocumentClientId } from '../../../src/oauth/client-documents/document-url.ts';
import { DocumentProblem, validateClientDocument } from '../../../src/oauth/client-documents/validate-document.ts';
import { cacheSeconds } from '../../../src/oauth/client-documents/cache-policy.ts';

const strict = { allowLoopback: false };
const development = { allowLoopback: true };
const problemOf = (clientId: string, rules = strict) => {
  const result = documentUrl(clientId, rules);
  return 'problem' in result ? result.problem : undefined;
};

describe('client_id URLs', () => {
  it('tells document URLs from registered client ids', () => {
    assert.equal(isDocumentClientId('https://app.example.com/client.json'), true);
    assert.equal(isDocumentClientId('http://localhost:3000/client.json'), true);
    assert.equal(isDocumentClientId('0123456789abcdef0123'), false);
    assert.equal(isDocumentClientId('urn:example:client'), false);
  });

  it('accepts https URLs with a path (a port and a query too)', () => {
    for (const id of ['https://app.example.com/client.json', 'https://app.example.com:8443/oauth/client', 'https://app.example.com/c?v=2']) assert.equal(problemOf(id), undefined, id);
  });

  const refused: [string, RegExp][] = [
    ['https://app.example.com/', /must have a path/],
    ['https://app.example.com', /must have a path/],
    ['http://app.example.com/client.json', /must use https$/],
    ['http://localhost:3000/client.json', /must use https$/],
    ['https://user:pw@app.example.com/client.json', /user name or password/],
    ['https://app.example.com/client.json#x', /fragment/],
    ['https://app.example.com/a/../client.json', /\. or \.\. segments/],
    ['https://app.example.com/./client.json', /\. or \.\. segments/],
    ['https://app.example.com/%2e%2e/client.json', /\. or \.\. segments/],
    ['https://APP.example.com/client.json', /normal form \(https:\/\/app\.example\.com\/client\.json\)/],
    ['https://app.example.com:443/client.json', /normal form/],
    [`https://app.example.com/${'a'.repeat(300)}`, /longer than 255/],
    ['https://exa mple.com/x', /not a valid URL/],
  ];
  for (const [id, reason] of refused) it(`refuses ${id.slice(0, 60)}`, () => assert.match(problemOf(id) ?? 'accepted', reason));

  it('accepts http://localhost and http://127.0.0.1 only with the development setting', () => {
    assert.equal(problemOf('http://localhost:3000/client.json', development), undefined);
    assert.equal(problemOf('http://127.0.0.1:3000/client.json', development), undefined);
    assert.match(problemOf('http://10.0.0.1/client.json', development) ?? '', /https \(or http on localhost or 127\.0\.0\.1\)/);
    assert.match(problemOf('http://app.example.com/client.json', development) ?? '', /https/);
  });
});

describe('validateClientDocument', () => {
  const id = 'https://app.example.com/client.json';
  const base = { client_id: id, client_name: 'Example Agent', redirect_uris: ['https://app.example.com/callback', 'http://127.0.0.1/callback'] };
  const problem = (doc: Record<string, unknown>) => {
    try {
      validateClientDocument(doc, id);
      return 'valid';
    } catch (error) {
      assert.ok(error instanceof DocumentProblem);
      return error.reason;
    }
  };

  it('makes a public client of a minimal document', () => {
    const doc = validateClientDocument({ client_id: id, redirect_uris: ['https://app.example.com/cb'] }, id);
    assert.deepEqual(doc, {
      clientId: id,
      name: 'app.example.com',
      redirectUris: ['https://app.example.com/cb'],
      tokenEndpointAuthMethod: 'none',
      jwks: null,
      jwksUri: null,
      grantTypes: ['authorization_code', 'refresh_token'],
      metadata: {},
      oidc: { postLogoutRedirectUris: [], backchannelLogoutUri: null, subjectType: 'public' },
    });
  });

  it('keeps the descriptive fields', () => {
    const doc = validateClientDocument(
      { ...base, client_uri: 'https://app.example.com', logo_uri: 'https://app.example.com/logo.png', tos_uri: 'https://app.example.com/tos', policy_uri: 'https://app.example.com/privacy', contacts: ['ops@app.example.com'], software_id: 'agent', software_version: '1.2', application_type: 'native', some_extension: true },
      id,
    );
    assert.equal(doc.name, 'Example Agent');
    assert.deepEqual(doc.metadata, { clientUri: 'https://app.example.com', logoUri: 'https://app.example.com/logo.png', tosUri: 'https://app.example.com/tos', policyUri: 'https://app.example.com/privacy', contacts: ['ops@app.example.com'], softwareId: 'agent', softwareVersion: '1.2', applicationType: 'native' });
  });

  it('lets a device-flow-only client list no redirect URIs', () => {
    const doc = validateClientDocument({ client_id: id, grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'] }, id);
    assert.deepEqual(doc.redirectUris, []);
    assert.deepEqual(doc.grantTypes, ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token']);
  });

  it('accepts private_key_jwt with public keys or a jwks_uri', () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
    assert.deepEqual(validateClientDocument({ ...base, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } }, id).jwks, { keys: [jwk] });
    assert.equal(validateClientDocument({ ...base, token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://app.example.com/jwks.json' }, id).jwksUri, 'https://app.example.com/jwks.json');
  });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['a client_id that differs from the URL', { ...base, client_id: 'https://evil.example.com/client.json' }, /client_id \(https:\/\/evil\.example\.com\/client\.json\) must be exactly the URL/],
    ['a client_id differing only by a slash', { ...base, client_id: `${id}/` }, /must be exactly the URL/],
    ['no client_id', { redirect_uris: base.redirect_uris }, /client_id \(missing\)/],
    ['a client_secret', { ...base, client_secret: 'hunter2' }, /client_secret must not appear/],
    ['a client_secret_expires_at', { ...base, client_secret_expires_at: 0 }, /client_secret_expires_at must not appear/],
    ['a shared-secret auth method', { ...base, token_endpoint_auth_method: 'client_secret_basic' }, /must be none or private_key_jwt, not client_secret_basic/],
    ['client_secret_jwt', { ...base, token_endpoint_auth_method: 'client_secret_jwt' }, /not client_secret_jwt/],
    ['private_key_jwt without keys', { ...base, token_endpoint_auth_method: 'private_key_jwt' }, /needs jwks or jwks_uri/],
    ['a private key in jwks', { ...base, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }, /public keys only/],
    ['both jwks and jwks_uri', { ...base, jwks: { keys: [{ kty: 'EC' }] }, jwks_uri: 'https://app.example.com/jwks' }, /not both/],
    ['no redirect_uris', { client_id: id }, /redirect_uris is required/],
    ['empty redirect_uris', { ...base, redirect_uris: [] }, /redirect_uris is required/],
    ['a javascript: redirect URI', { ...base, redirect_uris: ['javascript:alert(1)'] }, /redirect_uris: javascript:alert\(1\)/],
    ['an http redirect URI off loopback', { ...base, redirect_uris: ['http://app.example.com/cb'] }, /http only for localhost/],
    ['a redirect URI with a fragment', { ...base, redirect_uris: ['https://app.example.com/cb#x'] }, /fragment/],
    ['too many redirect URIs', { ...base, redirect_uris: Array.from({ length: 100 }, (_, i) => `https://app.example.com/cb${i}`) }, /at most 10/],
    ['a redirect URI that is not a string', { ...base, redirect_uris: [42] }, /list of at most 10 strings/],
    ['client_credentials', { ...base, grant_types: ['client_credentials'] }, /client_credentials cannot be used/],
    ['an implicit response type', { ...base, response_types: ['token'] }, /response_types may only be \["code"\]/],
    ['a long client_name', { ...base, client_name: 'x'.repeat(101) }, /client_name must be a string of at most 100/],
    ['an http logo_uri', { ...base, logo_uri: 'http://app.example.com/logo.png' }, /logo_uri must be an https URL/],
    ['a bad application_type', { ...base, application_type: 'tv' }, /application_type must be web or native/],
  ];
  for (const [what, doc, reason] of refused) it(`refuses ${what}`, () => assert.match(problem(doc), reason));
});

describe('cacheSeconds', () => {
  it('follows max-age within [60 s, 24 h], and keeps no-store and header-less documents for the minimum', () => {
    assert.equal(cacheSeconds('max-age=300'), 300);
    assert.equal(cacheSeconds('public, max-age=3600'), 3600);
    assert.equal(cacheSeconds('max-age=5'), 60);
    assert.equal(cacheSeconds('max-age=31536000'), 86400);
    assert.equal(cacheSeconds('no-store'), 60);
    assert.equal(cacheSeconds('no-cache, max-age=900'), 60);
    assert.equal(cacheSeconds(undefined), 60);
    assert.equal(cacheSeconds('private'), 60);
    assert.equal(cacheSeconds('max-age=abc'), 60);
  });
});
