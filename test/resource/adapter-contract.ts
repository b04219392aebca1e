// What every adapter must do, checked over real HTTP against an app each adapter test builds with
// the same routes: the RFC 9728 document in public, 401/400/403 with RFC 6750 challenges and JSON
// bodies, scopes per route and by method, claims reaching the handler, revocation honoured.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createVerifier, type Verifier } from '@gatehouse/resource';
import { AUDIENCE, FakeAuthorizationServer } from './fake-authorization-server.ts';
import { until } from './helpers.ts';

/**
 * The app under test, listening on 127.0.0.1:
 * - GET the verifier's metadata path, and GET /health: public
 * - GET/POST/DELETE /api/notes[/:id]: a valid token, level by method on `notes`; answers {sub, scope}
 * - GET /api/export: `notes.export` (a route scope)
 */
export type StartApp = (verifier: Verifier) => Promise<{ url: string; close: () => Promise<void> }>;

const METADATA_PATH = '/.well-known/oauth-protected-resource/api';

export function describeAdapter(name: string, startApp: StartApp): void {
  describe(`${name} adapter`, { timeout: 30_000 }, () => {
    let fake: FakeAuthorizationServer;
    let verifier: Verifier;
    let app: { url: string; close: () => Promise<void> };
    const call = (path: string, init: RequestInit & { token?: string } = {}) => {
      const headers = new Headers(init.headers);
      if (init.token !== undefined) headers.set('authorization', `Bearer ${init.token}`);
      return fetch(`${app.url}${path}`, { ...init, headers });
    };

    before(async () => {
      fake = await FakeAuthorizationServer.start();
      verifier = createVerifier({
        issuer: fake.issuer,
        audience: AUDIENCE,
        credentials: fake.credentials,
        scopes: { families: ['notes'], plain: ['notes.export'] },
        resourceName: 'Notes',
      });
      app = await startApp(verifier);
    });
    after(async () => {
      await app.close();
      await verifier.close();
      await fake.close();
    });

    it('serves the RFC 9728 document and public routes without a token', async () => {
      const response = await call(METADATA_PATH);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const doc = (await response.json()) as Record<string, unknown>;
      assert.equal(doc.resource, AUDIENCE);
      assert.deepEqual(doc.authorization_servers, [fake.issuer]);
      assert.deepEqual(doc.scopes_supported, ['notes', 'notes:w', 'notes:d', 'notes.export']);
      assert.deepEqual(doc.bearer_methods_supported, ['header']);
      assert.equal((await call('/health')).status, 200);
    });

    it('401 without a token, naming the metadata; 401 invalid_token for a bad one', async () => {
      const missing = await call('/api/notes');
      assert.equal(missing.status, 401);
      assert.equal(missing.headers.get('www-authenticate'), `Bearer resource_metadata="https://notes.example.com${METADATA_PATH}"`);
      assert.equal(((await missing.json()) as { error: string }).error, 'unauthorized');
      const bad = await call('/api/notes', { token: await fake.mint({ claims: { aud: 'https://other.example/api' } }) });
      assert.equal(bad.status, 401);
      assert.match(bad.headers.get('www-authenticate') ?? '', /^Bearer resource_metadata="[^"]+", error="invalid_token", error_description="[^"]+"$/);
      assert.deepEqual(await bad.json(), { error: 'invalid_token', error_description: 'The access token is for another resource' });
      assert.equal(bad.headers.get('cache-control'), 'no-store');
    });

    it('lets a good token through with its claims, per route and by method', async () => {
      const token = await fake.mint({ claims: { scope: 'notes:w', sub: '42' } });
      const list = await call('/api/notes', { token });
      assert.equal(list.status, 200);
      assert.deepEqual(await list.json(), { sub: '42', scope: 'notes:w' });
      assert.equal((await call('/api/notes', { token, method: 'POST' })).status, 200);
      const del = await call('/api/notes/1', { token, method: 'DELETE' });
      assert.equal(del.status, 403);
      assert.match(del.headers.get('www-authenticate') ?? '', /error="insufficient_scope", error_description="[^"]+", scope="notes:d"$/);
      assert.equal(((await del.json()) as { scope: string }).scope, 'notes:d');
      assert.equal((await call('/api/export', { token })).status, 403);
      const exporter = await fake.mint({ claims: { scope: 'notes.export notes' } });
      assert.equal((await call('/api/export', { token: exporter })).status, 200);
      assert.equal((await call('/api/notes/1', { token: await fake.mint({ claims: { scope: 'notes:d' } }), method: 'DELETE' })).status, 200);
    });

    it('400 for a token in the query, even beside a good header', async () => {
      const token = await fake.mint();
      const response = await call(`/api/notes?access_token=${token}`, { token });
      assert.equal(response.status, 400);
      assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_request"/);
    });

    it('refuses a token soon after it is revoked', async () => {
      const token = await fake.mint();
      assert.equal((await call('/api/notes', { token })).status, 200);
      fake.revoke(token);
      await until(async () => (await call('/api/notes', { token })).status === 401, 2000, 'the revoked token refused');
    });
  });
}
