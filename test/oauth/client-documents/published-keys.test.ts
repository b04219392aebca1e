// A jwks_uri fetched with the document fetch's defences: private addresses refused before
// connecting, redirects refused, a key set read and checked.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchPublishedKeySet } from '../../../src/oauth/client-documents/published-keys.ts';
import { startDocumentServer, type DocumentServer } from '../../helpers/document-server.ts';

describe('fetchPublishedKeySet', () => {
  let server: DocumentServer;
  before(async () => (server = await startDocumentServer()));
  after(() => server.close());
  const jwk = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };

  it('reads a key set served as application/jwk-set+json', async () => {
    server.serve('/jwks.json', { body: JSON.stringify({ keys: [jwk] }), headers: { 'content-type': 'application/jwk-set+json' } });
    assert.deepEqual(await fetchPublishedKeySet(server.url('/jwks.json'), { allowLoopback: true }), { keys: [jwk] });
  });

  it('refuses private and link-local addresses before connecting, and loopback without the development setting', async () => {
    await assert.rejects(fetchPublishedKeySet('https://169.254.169.254/jwks', { allowLoopback: true }), /link-local/);
    await assert.rejects(fetchPublishedKeySet('https://10.0.0.1/jwks', { allowLoopback: false }), /private address/);
    const resolver = async () => [{ address: '192.168.1.20', family: 4 }];
    await assert.rejects(fetchPublishedKeySet('https://keys.example.com/jwks', { allowLoopback: false, resolver }), /keys\.example\.com resolves to 192\.168\.1\.20, a private address/);
    await assert.rejects(fetchPublishedKeySet(server.url('/jwks.json'), { allowLoopback: false }), /must use https/);
  });

  it('refuses redirects and what is not a key set', async () => {
    server.serve('/moved', { status: 301, headers: { location: 'http://169.254.169.254/' } });
    await assert.rejects(fetchPublishedKeySet(server.url('/moved'), { allowLoopback: true }), /redirect/);
    server.serve('/not-keys', { body: { keys: 'none' } });
    await assert.rejects(fetchPublishedKeySet(server.url('/not-keys'), { allowLoopback: true }), /not a JWK Set/);
  });
});
