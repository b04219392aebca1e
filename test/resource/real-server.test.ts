// @gatehouse/resource against a real Gatehouse (not the fake of the other kit tests): tokens for
// the right and the wrong audience, expiry, revocation through the real feed and by
// introspection, a signing key rotated in after the verifier started, and a deleted resource.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createVerifier, type Verifier } from '@gatehouse/resource';
import type { ResourceServer } from '../../src/domain/resource-server.ts';
import { revokeConnection } from '../../src/platform/connections.ts';
import { deleteResource, registerResource } from '../../src/platform/resources.ts';
import { Browserless } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';

const NOTES = 'https://notes.example.com/api';

forEachStore('the resource kit against a real server', (kind) => {
  let server: TestServer;
  let notes: { resource: ResourceServer; clientSecret: string };
  const verifiers: Verifier[] = [];
  before(async () => {
    server = await startTestServer({ store: kind.name });
    notes = await registerResource({ identifier: NOTES, name: 'Notes', scopes: [{ kind: 'family', name: 'notes', noun: 'Notes' }, { kind: 'plain', name: 'notes.export', description: 'Export' }] }, {}, server.ctx);
  });
  after(async () => {
    for (const verifier of verifiers) await verifier.close();
    await server.close();
  });

  const verifierFor = (options: Partial<Parameters<typeof createVerifier>[0]> = {}) => {
    const verifier = createVerifier({ issuer: server.url, audience: NOTES, credentials: { clientId: notes.resource.clientId, clientSecret: notes.clientSecret }, scopes: { families: ['notes'], plain: ['notes.export'] }, ...options });
    verifiers.push(verifier);
    return verifier;
  };

  /** An access token (and refresh token) for `resource`, as jane through the backend app. */
  async function tokensFor(scope: string, resource?: string): Promise<{ accessToken: string; refreshToken: string }> {
    const query = new URLSearchParams({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope, state: 's', ...(resource ? { resource } : {}) });
    const code = await new Browserless(server.url).authorizeCode(query.toString(), { tenant: 'acme', username: 'jane', password: PASSWORD });
    const answer = await postForm(tokenUrl(server.url), { grant_type: 'authorization_code', code, client_id: server.backend.clientId, client_secret: server.backend.clientSecret });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return { accessToken: String(answer.body.access_token), refreshToken: String(answer.body.refresh_token) };
  }

  it('accepts a token for its resource with its claims and scopes, and refuses one for the built-in API', async () => {
    const verifier = verifierFor();
    const { accessToken } = await tokensFor('notes:w notes.export', NOTES);
    const verified = await verifier.verify(accessToken);
    assert.ok(verified.ok, JSON.stringify(verified));
    assert.equal(verified.claims.aud, NOTES);
    assert.equal(verified.claims.username, 'jane');
    assert.equal(verified.claims.tenant, 'acme');
    assert.ok(verified.scopes.has('notes:w'));
    assert.ok(!verified.scopes.has('notes:d'));
    const forBuiltIn = await verifier.verify((await tokensFor('profile')).accessToken);
    assert.equal(forBuiltIn.ok, false);
    assert.equal(!forBuiltIn.ok && forBuiltIn.reason, 'wrong_audience');
    const refused = await verifier.authenticate({ authorization: `Bearer ${accessToken}` }, { method: 'DELETE', scope: 'notes:d' });
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.status, 403);
  });

  it('refuses an expired token', async () => {
    const { accessToken } = await tokensFor('notes', NOTES);
    const later = verifierFor({ now: () => Date.now() + 3600_000 + 60_000 });
    const result = await later.verify(accessToken);
    assert.equal(!result.ok && result.reason, 'expired');
  });

  it('refuses a token within a second of its revocation, following the real feed', async () => {
    const verifier = verifierFor();
    await verifier.start();
    const { accessToken } = await tokensFor('notes', NOTES);
    assert.ok((await verifier.verify(accessToken)).ok);
    await revokeConnection(server.user.id, server.backend.app.id, {}, server.ctx);
    const revokedAt = Date.now();
    let result = await verifier.verify(accessToken);
    while (result.ok && Date.now() - revokedAt < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      result = await verifier.verify(accessToken);
    }
    assert.equal(!result.ok && result.reason, 'revoked');
    assert.ok(Date.now() - revokedAt < 1000, `refused after ${Date.now() - revokedAt} ms`);
  });

  it('asks the real introspection endpoint when told to, with its own credentials', async () => {
    const verifier = verifierFor({ revocation: { mode: 'introspection', cacheSeconds: 0 } });
    const { refreshToken, accessToken } = await tokensFor('notes', NOTES);
    assert.ok((await verifier.verify(accessToken)).ok);
    await postForm(`${server.url}/oauth2/revoke`, { token: refreshToken });
    const result = await verifier.verify(accessToken);
    assert.equal(result.ok, false);
  });

  it('verifies a token signed by a key rotated in after it started (unknown kid → JWKS again)', async () => {
    const verifier = verifierFor({ jwksCooldownSeconds: 0 });
    await verifier.start();
    assert.ok((await verifier.verify((await tokensFor('notes', NOTES)).accessToken)).ok);
    const { signing } = await server.ctx.keys.rotate();
    const { accessToken } = await tokensFor('notes', NOTES);
    assert.equal(JSON.parse(Buffer.from(accessToken.split('.')[0] ?? '', 'base64url').toString()).kid, signing.kid);
    const result = await verifier.verify(accessToken);
    assert.ok(result.ok, JSON.stringify(result));
  });

  it('refuses every token of a deleted resource: the feed says so', async () => {
    const doomed = await registerResource({ identifier: 'https://doomed.example.com', name: 'Doomed', scopes: [{ kind: 'plain', name: 'read', description: 'Read' }] }, {}, server.ctx);
    const verifier = createVerifier({ issuer: server.url, audience: 'https://doomed.example.com', credentials: { clientId: doomed.resource.clientId, clientSecret: doomed.clientSecret } });
    verifiers.push(verifier);
    await verifier.start();
    const { accessToken } = await tokensFor('read', 'https://doomed.example.com');
    assert.ok((await verifier.verify(accessToken)).ok);
    await deleteResource(doomed.resource, {}, server.ctx);
    const deletedAt = Date.now();
    let result = await verifier.verify(accessToken);
    while (result.ok && Date.now() - deletedAt < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      result = await verifier.verify(accessToken);
    }
    assert.equal(result.ok, false);
    assert.ok(!result.ok && ['revoked', 'resource_deleted'].includes(result.reason), !result.ok ? result.reason : '');
  });
});
