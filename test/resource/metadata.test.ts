// RFC 9728 helpers: the metadata document, its path-inserted well-known location, and the
// RFC 6750 challenges that point to it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createVerifier,
  protectedResourceMetadata,
  protectedResourceMetadataPath,
  protectedResourceMetadataUrl,
  wwwAuthenticate,
} from '@gatehouse/resource';

describe('RFC 9728 helpers', { timeout: 10_000 }, () => {
  it('inserts the well-known path between the host and the identifier path', () => {
    assert.equal(protectedResourceMetadataPath('https://h.example/api'), '/.well-known/oauth-protected-resource/api');
    assert.equal(protectedResourceMetadataPath('https://h.example/'), '/.well-known/oauth-protected-resource');
    assert.equal(protectedResourceMetadataPath('https://h.example'), '/.well-known/oauth-protected-resource');
    assert.equal(protectedResourceMetadataPath('https://h.example/a/b/'), '/.well-known/oauth-protected-resource/a/b/');
    assert.equal(protectedResourceMetadataUrl('https://notes.example.com:8443/api'), 'https://notes.example.com:8443/.well-known/oauth-protected-resource/api');
  });

  it('builds the document a client reads: resource, authorization servers, scopes, header only', () => {
    const doc = protectedResourceMetadata({
      resource: 'https://notes.example.com/api',
      authorizationServers: ['http://127.0.0.1:8080'],
      scopesSupported: ['notes', 'notes:w'],
      resourceName: 'Notes',
      extra: { resource_policy_uri: 'https://notes.example.com/policy' },
    });
    assert.deepEqual(doc, {
      resource_policy_uri: 'https://notes.example.com/policy',
      resource: 'https://notes.example.com/api',
      authorization_servers: ['http://127.0.0.1:8080'],
      scopes_supported: ['notes', 'notes:w'],
      bearer_methods_supported: ['header'],
      resource_name: 'Notes',
    });
  });

  it('a verifier publishes its own: its audience, its issuer, its catalog at every level', () => {
    const verifier = createVerifier({
      issuer: 'http://127.0.0.1:8080',
      audience: 'https://notes.example.com/api',
      revocation: 'none',
      scopes: { families: ['notes'], plain: ['notes.export'] },
      resourceName: 'Notes',
    });
    assert.equal(verifier.resourceMetadataPath, '/.well-known/oauth-protected-resource/api');
    assert.equal(verifier.resourceMetadataUrl, 'https://notes.example.com/.well-known/oauth-protected-resource/api');
    assert.deepEqual(verifier.metadata(), {
      resource: 'https://notes.example.com/api',
      authorization_servers: ['http://127.0.0.1:8080'],
      scopes_supported: ['notes', 'notes:w', 'notes:d', 'notes.export'],
      bearer_methods_supported: ['header'],
      resource_name: 'Notes',
    });
  });

  it('writes WWW-Authenticate values per RFC 6750 §3, quoting safely', () => {
    const url = 'https://h.example/.well-known/oauth-protected-resource/api';
    assert.equal(wwwAuthenticate({ resourceMetadata: url }), `Bearer resource_metadata="${url}"`);
    assert.equal(
      wwwAuthenticate({ resourceMetadata: url, error: 'insufficient_scope', scope: 'notes:w notes.export' }),
      `Bearer resource_metadata="${url}", error="insufficient_scope", scope="notes:w notes.export"`,
    );
    assert.equal(wwwAuthenticate({ realm: 'notes', error: 'invalid_token', errorDescription: 'say "hi" \\ bye' }), 'Bearer realm="notes", error="invalid_token", error_description="say ?hi? ? bye"');
    assert.equal(wwwAuthenticate(), 'Bearer');
  });
});
