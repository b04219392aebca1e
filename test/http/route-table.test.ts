// The route table is the one list of routes: a route registered any other way is refused, every
// route it declares is in /openapi.json, and each answers with the CORS policy and the error
// surface it declares (one request per route, plus one preflight per path).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { buildApp } from '../../src/app.ts';
import { MEDIA_TYPES } from '../../src/docs/operation.ts';
import { openApiPath } from '../../src/docs/openapi.ts';
import { RouteIndex } from '../../src/http/route-index.ts';
import type { Route } from '../../src/http/route.ts';
import { declaredRoutes, registerRoutes, registeredRoutes } from '../../src/http/routes.ts';
import { ServerMetrics } from '../../src/ops/metrics.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const ORIGIN = 'http://localhost:4597';

interface Doc {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> }>>;
}

/** A concrete URL for a route: parameters filled with values that name nothing. */
const urlOf = (route: Route) => route.path.replace(':clientId', '0'.repeat(20)).replace(/:[A-Za-z]+/g, '999999');

describe('the route table', () => {
  let server: TestServer;
  let table: readonly Route[];
  let doc: Doc;

  before(async () => {
    const metrics = new ServerMetrics();
    server = await startTestServer({ appDeps: { metrics: { metrics, endpoint: { token: 'metrics-token-0123456789abcdef', text: () => metrics.text() } } } });
    table = declaredRoutes(server.app);
    doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as Doc;
  });
  after(() => server.close());

  it('refuses a route registered outside it, directly or in a plugin', async () => {
    const app = await buildApp({ config: { publicUrl: server.url, logLevel: 'silent' }, store: server.store, keys: server.ctx.keys, logger: false, tokenKey: server.ctx.tokenKey });
    try {
      assert.throws(() => app.get('/undeclared', async () => 'hello'), /GET \/undeclared is not in the route table/);
      void app.register(async (child) => {
        child.post('/also-undeclared', async () => 'hello');
      });
      await assert.rejects(async () => app.ready(), /POST \/also-undeclared is not in the route table/);
    } finally {
      await app.close().catch(() => undefined);
    }
  });

  it('refuses a table whose routes at one path disagree on surface, CORS or rate limit', () => {
    const route = (method: 'GET' | 'POST', cors: 'public' | 'none'): Route => ({
      method,
      path: '/thing',
      surface: 'api',
      cors,
      operation: { id: method, tag: 'Operations', summary: 'x', responses: {} },
      handler: async () => undefined,
    });
    assert.throws(() => new RouteIndex([route('GET', 'public'), route('POST', 'none')]), /POST \/thing declares another surface, CORS policy or rate limit/);
  });

  it('is what fastify serves: every registered route is declared, HEAD for each GET and the API paths\' 405s aside', () => {
    const declared = new Set(table.map((route) => `${route.method} ${route.path}`));
    const registered = registeredRoutes(server.app);
    for (const route of table) assert.ok(registered.some((r) => r.method === route.method && r.url === route.path), `${route.method} ${route.path} is registered`);
    const apiPaths = new Set(table.filter((route) => route.surface === 'api').map((route) => route.path));
    for (const { method, url } of registered) {
      if (declared.has(`${method} ${url}`)) continue;
      if (method === 'HEAD' && declared.has(`GET ${url}`)) continue;
      assert.ok(apiPaths.has(url) && ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method), `${method} ${url} is neither declared nor a derived 405`);
    }
    assert.equal(new Set(table.map((route) => route.operation.id)).size, table.length, 'operation ids are unique');
  });

  it('declares the scope each resource route needs (its level follows the method)', () => {
    const scopes = Object.fromEntries(table.filter((route) => route.surface === 'api').map((route) => [`${route.method} ${route.path}`, route.scope]));
    assert.deepEqual(scopes, {
      'GET /api/users/current': 'profile',
      'GET /api/alert-sources': 'source',
      'POST /api/alert-sources': 'source',
      'GET /api/alert-sources/:id': 'source',
      'PUT /api/alert-sources/:id': 'source',
      'DELETE /api/alert-sources/:id': 'source',
      'GET /api/escalation-policies': 'policy',
      'GET /api/escalation-policies/:id': 'policy',
    });
    const security = (method: string, path: string) => (doc.paths[openApiPath(path)]?.[method] as unknown as { security: unknown }).security;
    assert.deepEqual(security('delete', '/api/alert-sources/:id'), [{ accessToken: ['source:d'] }]);
    assert.deepEqual(security('post', '/api/alert-sources'), [{ accessToken: ['source:w'] }]);
  });

  it('puts every route in /openapi.json under its operation id', () => {
    assert.ok(table.length >= 40, `${table.length} routes`);
    for (const route of table) {
      const op = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      assert.ok(op, `${route.method} ${route.path} is documented`);
      assert.equal(op.operationId, route.operation.id);
    }
  });

  it('answers each route with its declared CORS policy and surface, and a documented status and media type', async () => {
    for (const route of table) {
      const what = `${route.method} ${route.path}`;
      const body = route.method === 'POST' || route.method === 'PUT' ? '' : undefined;
      const response = await server.app.inject({
        method: route.method,
        url: urlOf(route),
        headers: { origin: ORIGIN, ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
        ...(body === undefined ? {} : { payload: body }),
      });
      assert.equal(response.headers['access-control-allow-origin'], route.cors === 'public' ? '*' : undefined, `${what} (${response.statusCode}): CORS ${route.cors}`);
      const documented = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()]?.responses[String(response.statusCode)];
      assert.ok(documented, `${what} answered ${response.statusCode}, which its operation documents`);
      const type = String(response.headers['content-type'] ?? '');
      const media = Object.keys(documented.content ?? {});
      if (media.length > 0) assert.ok(media.some((m) => type.startsWith(m)), `${what} ${response.statusCode}: ${type} is one of ${media.join(', ')}`);
      if (response.statusCode < 400) continue;
      const json = type.startsWith('application/json') ? (response.json() as Record<string, unknown>) : undefined;
      if (route.surface === 'oauth') assert.ok(json && typeof json.error === 'string' && json.code === json.error, `${what}: an OAuth error body`);
      if (route.surface === 'api') assert.ok(json && json.status === response.statusCode && typeof json.message === 'string' && typeof json.code === 'string', `${what}: the API's error body`);
      if (route.surface === 'page') assert.equal(json, undefined, `${what}: a page, not JSON`);
    }
  });

  it('answers preflights as each path declares: CORS routes allow any origin, the others send no CORS header', async () => {
    const paths = new Map(table.map((route) => [urlOf(route), route.cors]));
    for (const [url, cors] of paths) {
      const response = await server.app.inject({ method: 'OPTIONS', url, headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
      if (cors === 'public') {
        assert.equal(response.statusCode, 204, `OPTIONS ${url}`);
        assert.equal(response.headers['access-control-allow-origin'], '*', `OPTIONS ${url}`);
        assert.match(String(response.headers['access-control-allow-headers']), /authorization/);
      } else {
        assert.equal(response.headers['access-control-allow-origin'], undefined, `OPTIONS ${url}`);
      }
    }
  });

  it('documents only media types the reference knows', () => {
    const known = new Set(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', ...Object.values(MEDIA_TYPES)]);
    for (const methods of Object.values(doc.paths)) {
      for (const op of Object.values(methods)) for (const response of Object.values(op.responses)) for (const media of Object.keys(response.content ?? {})) assert.ok(known.has(media), media);
    }
  });
});

describe('registering a table', () => {
  it('derives the 405 answers of an API path from the methods it declares', async () => {
    const app = Fastify();
    const route: Route = {
      method: 'GET',
      path: '/api/things',
      surface: 'api',
      cors: 'public',
      operation: { id: 'things', tag: 'Operations', summary: 'Things', responses: {} },
      handler: async (_request, reply) => reply.send({ things: [] }),
    };
    registerRoutes(app, [route], {} as never);
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/api/things' })).statusCode, 200);
      const refused = await app.inject({ method: 'DELETE', url: '/api/things' });
      assert.equal(refused.statusCode, 405);
      assert.equal(refused.headers.allow, 'GET, HEAD, OPTIONS');
      assert.equal(refused.json().code, 'METHOD_NOT_ALLOWED');
    } finally {
      await app.close();
    }
  });
});
