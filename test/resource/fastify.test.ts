// @gatehouse/resource/fastify on a real Fastify 5 instance: the plugin for the app's routes
// (scopes in route config, public routes), plus the per-route preHandler style.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { createVerifier, methodScope } from '@gatehouse/resource';
import { authenticate, gatehouse, requireScope } from '@gatehouse/resource/fastify';
import { describeAdapter } from './adapter-contract.ts';
import { AUDIENCE, FakeAuthorizationServer } from './fake-authorization-server.ts';

describeAdapter('Fastify plugin', async (verifier) => {
  const app = Fastify();
  await app.register(gatehouse, { verifier, metadata: true, scope: methodScope('notes') });
  app.get('/health', { config: { gatehouse: { public: true } } }, async () => ({ ok: true }));
  app.get('/api/export', { config: { gatehouse: { scope: 'notes.export' } } }, async () => ({ exported: true }));
  const notes = async (request: { gatehouse: { claims: { sub: string; scope: string } } | null }) => ({ sub: request.gatehouse?.claims.sub, scope: request.gatehouse?.claims.scope });
  app.get('/api/notes', notes);
  app.post('/api/notes', notes);
  app.delete('/api/notes/:id', notes);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
});

describe('Fastify preHandlers, route by route', { timeout: 30_000 }, () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('authenticate() and requireScope() guard only the routes that use them; bad route scopes fail at startup; the plugin leaves 404s alone', async () => {
    const fake = await FakeAuthorizationServer.start();
    closers.push(() => fake.close());
    const verifier = createVerifier({ issuer: fake.issuer, audience: AUDIENCE, credentials: fake.credentials });
    closers.push(() => verifier.close());
    const app = Fastify();
    closers.push(() => app.close());
    app.get('/open', async () => ({ open: true }));
    app.get('/notes', { preHandler: authenticate(verifier, { scope: 'notes' }) }, async (request) => ({ sub: request.gatehouse?.claims.sub }));
    app.delete('/notes/:id', { preHandler: [authenticate(verifier), requireScope('notes:d')] }, async () => ({ deleted: true }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const token = await fake.mint({ claims: { scope: 'notes:w' } });
    const headers = { authorization: `Bearer ${token}` };
    assert.equal((await fetch(`${url}/open`)).status, 200);
    assert.equal((await fetch(`${url}/notes`)).status, 401);
    assert.deepEqual(await (await fetch(`${url}/notes`, { headers })).json(), { sub: '7' });
    const del = await fetch(`${url}/notes/1`, { method: 'DELETE', headers });
    assert.equal(del.status, 403);
    assert.match(del.headers.get('www-authenticate') ?? '', /scope="notes:d"/);

    const broken = Fastify();
    closers.push(() => broken.close());
    await broken.register(gatehouse, { verifier });
    assert.throws(() => broken.get('/x', { config: { gatehouse: { scope: 'offline_access' } } }, async () => ({})), /not a resource scope/);
    broken.get('/y', async () => ({}));
    const brokenUrl = await broken.listen({ port: 0, host: '127.0.0.1' });
    assert.equal((await fetch(`${brokenUrl}/nowhere`)).status, 404, 'unknown paths are 404 whatever the token');
    assert.equal((await fetch(`${brokenUrl}/y`)).status, 401);
  });
});
