// verifier.authenticate(headers): the framework-free entry. Tokens come only from the
// Authorization header (scheme in any case); every refusal is a result with its RFC 6750 answer
// (status, WWW-Authenticate naming the RFC 9728 metadata, a small JSON body), never a throw.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createVerifier, methodScope, type AuthResult, type Verifier } from '@gatehouse/resource';
import { AUDIENCE, FakeAuthorizationServer } from './fake-authorization-server.ts';

const METADATA = 'https://notes.example.com/.well-known/oauth-protected-resource/api';

function refused(result: AuthResult) {
  assert.ok(!result.ok, 'expected a refusal');
  return result;
}

describe('authenticate(headers)', { timeout: 30_000 }, () => {
  let fake: FakeAuthorizationServer;
  let verifier: Verifier;
  let token: string;

  before(async () => {
    fake = await FakeAuthorizationServer.start();
    verifier = createVerifier({ issuer: fake.issuer, audience: AUDIENCE, credentials: fake.credentials });
    token = await fake.mint({ claims: { scope: 'notes:w' } });
  });
  after(async () => {
    await verifier.close();
    await fake.close();
  });

  it('passes a good token in any spelling of the Bearer scheme, from Node records and Fetch Headers', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) assert.ok((await verifier.authenticate({ authorization: `${scheme} ${token}` })).ok, scheme);
    assert.ok((await verifier.authenticate({ Authorization: `Bearer ${token}` })).ok);
    const result = await verifier.authenticate(new Headers({ authorization: `Bearer ${token}` }));
    assert.ok(result.ok);
    assert.equal(result.token, token);
    assert.equal(result.claims.username, 'jane');
  });

  it('no token: 401 with the metadata URL and no error code', async () => {
    const result = refused(await verifier.authenticate({}));
    assert.equal(result.status, 401);
    assert.equal(result.reason, 'missing_token');
    assert.equal(result.error, undefined);
    assert.deepEqual(result.headers, { 'www-authenticate': `Bearer resource_metadata="${METADATA}"` });
    assert.equal(result.body.error, 'unauthorized');
  });

  it('a bad token: 401 invalid_token with a description', async () => {
    const result = refused(await verifier.authenticate({ authorization: 'Bearer abc.def.ghi' }));
    assert.equal(result.status, 401);
    assert.equal(result.headers['www-authenticate'], `Bearer resource_metadata="${METADATA}", error="invalid_token", error_description="${result.description}"`);
    assert.deepEqual(result.body, { error: 'invalid_token', error_description: result.description });
  });

  it('another scheme, a malformed header, or a token in the query: 400 invalid_request', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', `Bearer`, `Bearer ${token} extra`, `Bearer  `]) {
      const result = refused(await verifier.authenticate({ authorization: header }));
      assert.equal(result.reason, 'malformed_header', header);
      assert.equal(result.status, 400);
      assert.match(result.headers['www-authenticate'] ?? '', /error="invalid_request"/);
    }
    const inQuery = refused(await verifier.authenticate({ authorization: `Bearer ${token}` }, { url: `/api/notes?access_token=${token}` }));
    assert.equal(inQuery.reason, 'token_in_query');
    assert.equal(inQuery.status, 400);
    assert.equal(refused(await verifier.authenticate({}, { url: `/api/notes?x=1&access_token=${token}` })).reason, 'token_in_query');
    assert.ok((await verifier.authenticate({ authorization: `Bearer ${token}` }, { url: '/api/notes?q=access_token' })).ok, 'only the parameter counts');
  });

  it('too few scopes: 403 insufficient_scope naming the scopes needed', async () => {
    assert.ok((await verifier.authenticate({ authorization: `Bearer ${token}` }, { scope: 'notes:w' })).ok);
    const result = refused(await verifier.authenticate({ authorization: `Bearer ${token}` }, { scope: ['notes:d', 'notes.export'] }));
    assert.equal(result.status, 403);
    assert.equal(result.scope, 'notes:d notes.export');
    assert.equal(result.headers['www-authenticate'], `Bearer resource_metadata="${METADATA}", error="insufficient_scope", error_description="This request needs the scope notes:d notes.export", scope="notes:d notes.export"`);
    assert.deepEqual(result.body, { error: 'insufficient_scope', error_description: 'This request needs the scope notes:d notes.export', scope: 'notes:d notes.export' });
  });

  it('by method: GET and PATCH pass with notes:w, DELETE needs notes:d', async () => {
    const headers = { authorization: `Bearer ${token}` };
    assert.ok((await verifier.authenticate(headers, { method: 'GET', scope: methodScope('notes') })).ok);
    assert.ok((await verifier.authenticate(headers, { method: 'PATCH', scope: methodScope('notes') })).ok);
    assert.equal(refused(await verifier.authenticate(headers, { method: 'DELETE', scope: methodScope('notes') })).scope, 'notes:d');
  });
});
