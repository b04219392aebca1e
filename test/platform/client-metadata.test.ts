// The metadata rules of private_key_jwt clients, read directly (the HTTP tests reach them only once
// the token endpoint announces private_key_jwt): public keys only, valid ones, and
// inline (never a jwks_uri the server would fetch); and no method the token endpoint does not announce.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { OAuthError } from '../../src/oauth/errors.ts';
import { readClientMetadata } from '../../src/platform/client-metadata.ts';

const ALL = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
const BASE = { redirect_uris: ['https://agent.example/cb'], token_endpoint_auth_method: 'private_key_jwt' };
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_JWK = publicKey.export({ format: 'jwk' });

const refused = (metadata: object, pattern: RegExp, methods = ALL) =>
  assert.throws(() => readClientMetadata(metadata, methods), (error: unknown) => error instanceof OAuthError && error.code === 'invalid_client_metadata' && pattern.test(error.description));

describe('client metadata of private_key_jwt clients', () => {
  it('registers a public JWK Set, and keys sent with another method not at all', () => {
    const inline = readClientMetadata({ ...BASE, jwks: { keys: [PUBLIC_JWK] } }, ALL);
    assert.deepEqual(inline.jwks, { keys: [PUBLIC_JWK] });
    assert.equal(inline.jwksUri, null);
    // Keys sent with another method are not registered.
    const other = readClientMetadata({ ...BASE, token_endpoint_auth_method: 'none', jwks: { keys: [PUBLIC_JWK] } }, ALL);
    assert.equal(other.jwks, null);
  });

  it('refuses missing, doubled, private, broken or too many keys, and any jwks_uri (the server would fetch what anyone registered)', () => {
    refused(BASE, /private_key_jwt needs the public keys, inline in jwks/);
    refused({ ...BASE, jwks: { keys: [PUBLIC_JWK] }, jwks_uri: 'https://agent.example/jwks' }, /jwks and jwks_uri must not both be present/);
    refused({ ...BASE, jwks: { keys: [privateKey.export({ format: 'jwk' })] } }, /jwks keys\[0\] holds private key material/);
    refused({ ...BASE, jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }] } }, /jwks keys\[0\] is not a valid public key/);
    refused({ ...BASE, jwks: { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB' }] } }, /jwks keys\[0\] is an RSA key shorter than 2048 bits/);
    refused({ ...BASE, jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }, /jwks keys\[0\] must be an RSA, EC or OKP key/);
    refused({ ...BASE, jwks: { keys: Array.from({ length: 11 }, () => PUBLIC_JWK) } }, /jwks may hold at most 10 keys/);
    refused({ ...BASE, jwks: [PUBLIC_JWK] }, /jwks must be a JWK Set/);
    refused({ ...BASE, jwks: { keys: [] } }, /jwks must hold at least one key/);
    refused({ ...BASE, jwks_uri: 'https://agent.example/jwks.json' }, /jwks_uri is not accepted from a client that registers itself; send the public keys inline in jwks/);
    refused({ ...BASE, jwks_uri: 'https://169.254.169.254/latest/meta-data' }, /jwks_uri is not accepted/);
  });

  it('accepts only the methods the token endpoint announces', () => {
    refused({ ...BASE, jwks: { keys: [PUBLIC_JWK] } }, /token_endpoint_auth_method must be one of client_secret_basic, client_secret_post, none$/, ['client_secret_basic', 'client_secret_post', 'none']);
    assert.equal(readClientMetadata({ redirect_uris: ['https://agent.example/cb'] }, ['none']).tokenEndpointAuthMethod, 'client_secret_basic', "RFC 7591's default");
  });
});
