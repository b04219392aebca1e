// /api/alert-sources as ilert documents it: scope levels per method, ilert's AlertSource JSON,
// paging with a hard 400 on overshoot, lookup by integration key, tenants kept apart, and 400s
// (never 500s) naming the field for bad bodies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newIntegrationKey } from '../../src/api/alert-sources.ts';
import type { AlertSource, EscalationPolicy } from '../../src/domain/alert-source.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { tokenFor } from '../helpers/tokens.ts';

type Json = Record<string, any>;

interface Call {
  status: number;
  headers: Headers;
  body: Json;
}

forEachStore('/api/alert-sources', (kind) => {
  let server: TestServer;
  let policy: EscalationPolicy;
  const tokens: Record<string, string> = {};

  async function call(token: string | undefined, method: string, path: string, body?: unknown): Promise<Call> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.url}/api/alert-sources${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Json) };
  }

  const validBody = (overrides: Json = {}): Json => ({
    name: 'Prometheus prod',
    integrationType: 'PROMETHEUS',
    escalationPolicy: { id: policy.id },
    ...overrides,
  });

  /** A source made straight in the store, so each check has its own target. */
  async function seed(name: string, tenantId = server.tenant.id, policyId = policy.id): Promise<AlertSource> {
    return server.ctx.store.alertSources.create(
      tenantId,
      {
        name,
        integrationType: 'API',
        escalationPolicyId: policyId,
        active: true,
        alertCreation: 'ONE_ALERT_PER_EMAIL',
        alertPriorityRule: 'HIGH',
        autoResolutionTimeout: null,
        alertGroupingWindow: null,
        teams: [],
      },
      newIntegrationKey(),
      server.clock.now(),
    );
  }

  before(async () => {
    server = await startTestServer({ store: kind.name });
    const found = await server.ctx.store.escalationPolicies.byId(server.tenant.id, 1);
    assert.ok(found, 'the test server seeds a Default policy for acme');
    policy = found;
    // Seven tokens for jane: under the 10 live refresh tokens kept per user and app.
    for (const scope of ['source', 'source:w', 'source:d', 'wildcard', 'wildcard:w', 'wildcard:d', 'profile']) {
      tokens[scope] = await tokenFor(server, scope);
    }
  });
  after(() => server.close());

  describe('scope levels: source reads, :w creates and edits, :d deletes; wildcard covers all', () => {
    const ALL = { list: 200, get: 200, create: 201, update: 200, delete: 204 };
    const READ = { list: 200, get: 200, create: 403, update: 403, delete: 403 };
    const WRITE = { list: 200, get: 200, create: 201, update: 200, delete: 403 };
    const NONE = { list: 403, get: 403, create: 403, update: 403, delete: 403 };
    const expectations: [string, typeof ALL][] = [
      ['source', READ],
      ['source:w', WRITE],
      ['source:d', ALL],
      ['wildcard', READ],
      ['wildcard:w', WRITE],
      ['wildcard:d', ALL],
      ['profile', NONE],
    ];
    const needed = { list: 'source', get: 'source', create: 'source:w', update: 'source:w', delete: 'source:d' };

    for (const [scope, expected] of expectations) {
      it(`${scope}: list ${expected.list}, get ${expected.get}, create ${expected.create}, update ${expected.update}, delete ${expected.delete}`, async () => {
        const token = tokens[scope];
        const target = await seed(`target for ${scope}`);
        const results = {
          list: await call(token, 'GET', ''),
          get: await call(token, 'GET', `/${target.id}`),
          create: await call(token, 'POST', '', validBody({ name: `made with ${scope}` })),
          update: await call(token, 'PUT', `/${target.id}`, validBody({ name: `renamed with ${scope}` })),
          delete: await call(token, 'DELETE', `/${target.id}`),
        };
        for (const op of ['list', 'get', 'create', 'update', 'delete'] as const) {
          const result = results[op];
          assert.equal(result.status, expected[op], `${scope} ${op}: ${JSON.stringify(result.body)}`);
          if (result.status === 403) {
            assert.deepEqual(
              { status: result.body.status, code: result.body.code, scope: result.body.scope },
              { status: 403, code: 'OAUTH2_SCOPE_ERROR', scope: needed[op] },
            );
            assert.equal(typeof result.body.message, 'string');
          }
        }
        // What the refusals left alone and what the successes changed.
        const stored = await server.ctx.store.alertSources.byIdOrKey(server.tenant.id, String(target.id));
        if (expected.delete === 204) assert.equal(stored, undefined, 'deleted');
        else assert.equal(stored?.name, expected.update === 200 ? `renamed with ${scope}` : `target for ${scope}`);
        if (expected.create === 403) {
          const all = await server.ctx.store.alertSources.list(server.tenant.id, 0, 50);
          assert.ok(!all.some((s) => s.name === `made with ${scope}`), 'a refused create stores nothing');
        }
      });
    }

    it('without a token: 401 with a Bearer challenge', async () => {
      for (const [method, path] of [['GET', ''], ['POST', ''], ['GET', '/1'], ['PUT', '/1'], ['DELETE', '/1']] as const) {
        const result = await call(undefined, method, path, method === 'POST' || method === 'PUT' ? validBody() : undefined);
        assert.equal(result.status, 401, `${method} ${path}`);
        assert.match(result.headers.get('www-authenticate') ?? '', /^Bearer /);
        assert.equal(result.body.status, 401);
      }
    });

    it('an expired-looking or forged token is 401, not 403', async () => {
      const result = await call(`${tokens['source:d']}x`, 'GET', '');
      assert.equal(result.status, 401);
      assert.match(result.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    });
  });

  describe('create, read, replace, delete', () => {
    it('POST answers 201 with a Location and ilert AlertSource JSON, with defaults filled in', async () => {
      const created = await call(tokens['source:w'], 'POST', '', validBody({ id: 999_999, integrationKey: 'mine', status: 'PENDING', unknownField: [1, 2] }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.match(created.headers.get('content-type') ?? '', /^application\/json/);
      const source = created.body;
      assert.equal(created.headers.get('location'), `${server.url}/api/alert-sources/${source.id}`);
      assert.notEqual(source.id, 999_999, 'the id is assigned by the server');
      assert.match(source.integrationKey, /^il1api[0-9a-f]{32,}$/);
      assert.equal(source.integrationUrl, `${server.url}/api/v1/events/prometheus/${source.integrationKey}`);
      assert.deepEqual(
        { ...source, id: 0, integrationKey: '', integrationUrl: '' },
        {
          id: 0,
          name: 'Prometheus prod',
          iconUrl: null,
          integrationType: 'PROMETHEUS',
          integrationKey: '',
          integrationUrl: '',
          escalationPolicy: { id: policy.id, name: 'Default', escalationRules: [], teams: [], repeating: false, frequency: 1, delayMin: 0, routingKey: null },
          status: 'ALL_RESOLVED',
          active: true,
          alertCreation: 'ONE_ALERT_PER_EMAIL',
          alertPriorityRule: 'HIGH',
          autoResolutionTimeout: null,
          alertGroupingWindow: null,
          teams: [],
          createdAt: server.clock.now().toISOString(),
          updatedAt: server.clock.now().toISOString(),
        },
      );
      const fetched = await call(tokens['source:w'], 'GET', `/${source.id}`);
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.body, source, 'the Location serves what POST returned');
    });

    it('keeps every optional field it was given', async () => {
      const body = validBody({
        name: 'Grafana',
        integrationType: 'GRAFANA',
        active: false,
        alertCreation: 'ONE_ALERT_GROUPED_PER_WINDOW',
        alertPriorityRule: 'LOW_DURING_SUPPORT_HOURS',
        autoResolutionTimeout: 'PT4H',
        alertGroupingWindow: 'PT15M',
        teams: [{ id: 7, name: 'Ops' }],
      });
      const created = await call(tokens['source:w'], 'POST', '', body);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const fetched = (await call(tokens.source, 'GET', `/${created.body.id}`)).body;
      assert.equal(fetched.status, 'DISABLED', 'an inactive source reports DISABLED');
      assert.equal(fetched.active, false);
      assert.equal(fetched.alertCreation, 'ONE_ALERT_GROUPED_PER_WINDOW');
      assert.equal(fetched.alertPriorityRule, 'LOW_DURING_SUPPORT_HOURS');
      assert.equal(fetched.autoResolutionTimeout, 'PT4H');
      assert.equal(fetched.alertGroupingWindow, 'PT15M');
      assert.deepEqual(fetched.teams, [{ id: 7, name: 'Ops' }]);
    });

    it('PUT replaces the whole source: omitted optional fields go back to their defaults', async () => {
      const created = await call(tokens['source:w'], 'POST', '', validBody({ autoResolutionTimeout: 'PT4H', teams: [{ id: 7, name: 'Ops' }], alertPriorityRule: 'LOW' }));
      server.clock.advance(60);
      const replaced = await call(tokens['source:w'], 'PUT', `/${created.body.id}`, validBody({ name: 'Renamed', integrationType: 'DATADOG', active: false }));
      assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
      assert.equal(replaced.body.id, created.body.id);
      assert.equal(replaced.body.name, 'Renamed');
      assert.equal(replaced.body.integrationType, 'DATADOG');
      assert.equal(replaced.body.status, 'DISABLED');
      assert.equal(replaced.body.autoResolutionTimeout, null);
      assert.deepEqual(replaced.body.teams, []);
      assert.equal(replaced.body.alertPriorityRule, 'HIGH');
      assert.equal(replaced.body.integrationKey, created.body.integrationKey, 'the integration key survives a replace');
      assert.equal(replaced.body.integrationUrl, `${server.url}/api/v1/events/datadog/${created.body.integrationKey}`);
      assert.equal(replaced.body.createdAt, created.body.createdAt);
      assert.equal(replaced.body.updatedAt, server.clock.now().toISOString());
      assert.deepEqual((await call(tokens.source, 'GET', `/${created.body.id}`)).body.name, 'Renamed');
    });

    it('DELETE answers 204 with no body; the source is gone afterwards', async () => {
      const target = await seed('to delete');
      const response = await fetch(`${server.url}/api/alert-sources/${target.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens['source:d']}` } });
      assert.equal(response.status, 204);
      assert.equal(await response.text(), '');
      assert.equal((await call(tokens['source:d'], 'GET', `/${target.id}`)).status, 404);
      assert.equal((await call(tokens['source:d'], 'DELETE', `/${target.id}`)).status, 404);
      assert.equal((await call(tokens['source:d'], 'PUT', `/${target.id}`, validBody())).status, 404);
    });

    it('unknown ids answer 404 in the API error shape', async () => {
      for (const id of ['123456', '99999999999999999999', 'il1apideadbeef', '0', 'x%20y']) {
        const result = await call(tokens['source:d'], 'GET', `/${id}`);
        assert.equal(result.status, 404, id);
        assert.deepEqual([result.body.status, typeof result.body.message, typeof result.body.code], [404, 'string', 'string']);
      }
    });
  });

  describe('integration keys', () => {
    it('GET finds a source by its integration key as well as by its id', async () => {
      const created = (await call(tokens['source:w'], 'POST', '', validBody({ name: 'By key' }))).body;
      const byKey = await call(tokens['source:w'], 'GET', `/${created.integrationKey}`);
      assert.equal(byKey.status, 200);
      assert.equal(byKey.body.id, created.id);
      assert.equal(byKey.body.name, 'By key');
      const readOnly = await call(tokens.source, 'GET', `/${created.integrationKey}`);
      assert.equal(readOnly.status, 200, 'read access may look a source up by a key it already knows');
      assert.equal(readOnly.body.id, created.id);
    });

    it('are hidden (null) from callers who may only read', async () => {
      const target = await seed('secret key');
      const read = await call(tokens.source, 'GET', `/${target.id}`);
      assert.equal(read.body.integrationKey, null);
      assert.equal(read.body.integrationUrl, null);
      const listed = await call(tokens.wildcard, 'GET', '');
      assert.ok(listed.body.length > 0);
      for (const source of listed.body as Json[]) {
        assert.equal(source.integrationKey, null);
        assert.equal(source.integrationUrl, null);
      }
      const write = await call(tokens['wildcard:w'], 'GET', `/${target.id}`);
      assert.equal(write.body.integrationKey, target.integrationKey);
    });

    it('are distinct for every source', async () => {
      const all = await server.ctx.store.alertSources.list(server.tenant.id, 0, 50);
      const keys = new Set(all.map((s) => s.integrationKey));
      assert.equal(keys.size, all.length);
    });
  });

  describe('paging with start-index and max-results', () => {
    let ids: number[];
    before(async () => {
      while ((await server.ctx.store.alertSources.list(server.tenant.id, 0, 50)).length < 50) await seed('filler');
      for (let i = 0; i < 5; i += 1) await seed(`page filler ${i}`);
      const first = await server.ctx.store.alertSources.list(server.tenant.id, 0, 50);
      const rest = await server.ctx.store.alertSources.list(server.tenant.id, 50, 50);
      ids = [...first, ...rest].map((s) => s.id);
      assert.ok(ids.length >= 55);
    });

    it('defaults to the first 50, in a stable order', async () => {
      const result = await call(tokens.source, 'GET', '');
      assert.equal(result.status, 200);
      assert.deepEqual((result.body as Json[]).map((s) => s.id), ids.slice(0, 50));
    });

    it('pages with a 0-based start-index', async () => {
      const page = await call(tokens.source, 'GET', '?start-index=2&max-results=3');
      assert.deepEqual((page.body as Json[]).map((s) => s.id), ids.slice(2, 5));
      const tail = await call(tokens.source, 'GET', '?start-index=50&max-results=50');
      assert.deepEqual((tail.body as Json[]).map((s) => s.id), ids.slice(50));
      const beyond = await call(tokens.source, 'GET', `?start-index=${ids.length + 10}`);
      assert.equal(beyond.status, 200);
      assert.deepEqual(beyond.body, []);
      const max = await call(tokens.source, 'GET', '?max-results=50');
      assert.equal(max.body.length, 50);
    });

    it('refuses max-results over 50 and anything not a plain integer with 400, never clamping', async () => {
      for (const query of ['max-results=51', 'max-results=1000', 'max-results=0', 'max-results=-1', 'max-results=1.5', 'max-results=abc', 'max-results=', 'start-index=-1', 'start-index=1e3', 'start-index=x', 'start-index=99999999999', 'max-results=5&max-results=6']) {
        const result = await call(tokens.source, 'GET', `?${query}`);
        assert.equal(result.status, 400, query);
        assert.equal(result.body.status, 400);
        assert.equal(typeof result.body.code, 'string');
        assert.match(result.body.message, query.startsWith('max') ? /max-results/ : /start-index/, query);
      }
    });
  });

  describe('tenants are kept apart', () => {
    let otto: string;
    let globexPolicy: EscalationPolicy;
    let acmeSource: AlertSource;
    before(async () => {
      otto = await tokenFor(server, 'source:d', { tenant: 'globex', username: 'otto' });
      globexPolicy = await server.ctx.store.escalationPolicies.create(server.otherTenant.id, 'Globex on-call');
      acmeSource = await seed('acme only');
    });

    it("another tenant's sources are invisible: not listed, 404 by id and by key", async () => {
      const listed = await call(otto, 'GET', '');
      assert.equal(listed.status, 200);
      assert.ok(!(listed.body as Json[]).some((s) => s.id === acmeSource.id || s.name === 'acme only'));
      assert.equal((await call(otto, 'GET', `/${acmeSource.id}`)).status, 404);
      assert.equal((await call(otto, 'GET', `/${acmeSource.integrationKey}`)).status, 404);
    });

    it("another tenant's sources cannot be replaced or deleted", async () => {
      assert.equal((await call(otto, 'PUT', `/${acmeSource.id}`, validBody({ name: 'hijacked', escalationPolicy: { id: globexPolicy.id } }))).status, 404);
      assert.equal((await call(otto, 'DELETE', `/${acmeSource.id}`)).status, 404);
      assert.equal((await call(otto, 'DELETE', `/${acmeSource.integrationKey}`)).status, 404);
      const still = await call(tokens.source, 'GET', `/${acmeSource.id}`);
      assert.equal(still.status, 200);
      assert.equal(still.body.name, 'acme only');
    });

    it("another tenant's escalation policy cannot be used; one's own can, and stays private", async () => {
      const foreign = await call(otto, 'POST', '', validBody({ escalationPolicy: { id: policy.id } }));
      assert.equal(foreign.status, 400);
      assert.match(foreign.body.message, /escalationPolicy/);
      const own = await call(otto, 'POST', '', validBody({ name: 'Globex source', escalationPolicy: { id: globexPolicy.id } }));
      assert.equal(own.status, 201, JSON.stringify(own.body));
      assert.equal(own.body.escalationPolicy.name, 'Globex on-call');
      assert.equal((await call(tokens['source:d'], 'GET', `/${own.body.id}`)).status, 404);
      assert.equal((await call(tokens['source:d'], 'PUT', `/${own.body.id}`, validBody())).status, 404);
      const jane = await call(tokens['source:d'], 'PUT', `/${acmeSource.id}`, validBody({ escalationPolicy: { id: globexPolicy.id } }));
      assert.equal(jane.status, 400, 'nor the other way round');
    });
  });

  describe('validation: 400 naming the field, never 500', () => {
    const cases: [string, unknown, string][] = [
      ['missing name', { integrationType: 'API', escalationPolicy: { id: 1 } }, 'name'],
      ['name as array', { name: ['a'], integrationType: 'API', escalationPolicy: { id: 1 } }, 'name'],
      ['name as object', { name: { a: 1 }, integrationType: 'API', escalationPolicy: { id: 1 } }, 'name'],
      ['name as number', { name: 5, integrationType: 'API', escalationPolicy: { id: 1 } }, 'name'],
      ['blank name', { name: '   ', integrationType: 'API', escalationPolicy: { id: 1 } }, 'name'],
      ['NUL in name', { name: 'a\u0000b', integrationType: 'API', escalationPolicy: { id: 1 } }, 'name'],
      ['oversized name', { name: 'x'.repeat(10_000), integrationType: 'API', escalationPolicy: { id: 1 } }, 'name'],
      ['lone surrogate in name', { name: 'a\ud800', integrationType: 'API', escalationPolicy: { id: 1 } }, 'name'],
      ['missing integrationType', { name: 'a', escalationPolicy: { id: 1 } }, 'integrationType'],
      ['unknown integrationType', { name: 'a', integrationType: 'NOPE', escalationPolicy: { id: 1 } }, 'integrationType'],
      ['lower-case integrationType', { name: 'a', integrationType: 'api', escalationPolicy: { id: 1 } }, 'integrationType'],
      ['integrationType as array', { name: 'a', integrationType: ['API'], escalationPolicy: { id: 1 } }, 'integrationType'],
      ['missing escalationPolicy', { name: 'a', integrationType: 'API' }, 'escalationPolicy'],
      ['escalationPolicy as number', { name: 'a', integrationType: 'API', escalationPolicy: 1 }, 'escalationPolicy'],
      ['escalationPolicy without id', { name: 'a', integrationType: 'API', escalationPolicy: { name: 'Default' } }, 'escalationPolicy.id'],
      ['escalationPolicy id as string', { name: 'a', integrationType: 'API', escalationPolicy: { id: '1' } }, 'escalationPolicy.id'],
      ['escalationPolicy id fractional', { name: 'a', integrationType: 'API', escalationPolicy: { id: 1.5 } }, 'escalationPolicy.id'],
      ['escalationPolicy id huge', { name: 'a', integrationType: 'API', escalationPolicy: { id: 1e20 } }, 'escalationPolicy.id'],
      ['escalationPolicy unknown', { name: 'a', integrationType: 'API', escalationPolicy: { id: 4242 } }, 'escalationPolicy.id'],
      ['active as string', { name: 'a', integrationType: 'API', escalationPolicy: { id: 1 }, active: 'true' }, 'active'],
      ['bad alertCreation', { name: 'a', integrationType: 'API', escalationPolicy: { id: 1 }, alertCreation: 'SOMETIMES' }, 'alertCreation'],
      ['bad alertPriorityRule', { name: 'a', integrationType: 'API', escalationPolicy: { id: 1 }, alertPriorityRule: 'MEDIUM' }, 'alertPriorityRule'],
      ['bad autoResolutionTimeout', { name: 'a', integrationType: 'API', escalationPolicy: { id: 1 }, autoResolutionTimeout: '4 hours' }, 'autoResolutionTimeout'],
      ['alertGroupingWindow as object', { name: 'a', integrationType: 'API', escalationPolicy: { id: 1 }, alertGroupingWindow: { h: 4 } }, 'alertGroupingWindow'],
      ['teams as string', { name: 'a', integrationType: 'API', escalationPolicy: { id: 1 }, teams: 'Ops' }, 'teams'],
      ['team id as string', { name: 'a', integrationType: 'API', escalationPolicy: { id: 1 }, teams: [{ id: 'x' }] }, 'teams[0].id'],
      ['too many teams', { name: 'a', integrationType: 'API', escalationPolicy: { id: 1 }, teams: Array.from({ length: 51 }, (_, i) => ({ id: i + 1 })) }, 'teams'],
    ];

    for (const [label, body, field] of cases) {
      it(`${label} → 400 naming ${field}`, async () => {
        const created = await call(tokens['source:w'], 'POST', '', body);
        assert.equal(created.status, 400, JSON.stringify(created.body));
        assert.equal(created.body.status, 400);
        assert.equal(typeof created.body.code, 'string');
        assert.ok(String(created.body.message).startsWith(field), `message "${created.body.message}" names ${field}`);
      });
    }

    it('PUT validates the same way and leaves the source unchanged', async () => {
      const target = await seed('unchanged');
      const result = await call(tokens['source:w'], 'PUT', `/${target.id}`, { name: 'changed', integrationType: 'NOPE', escalationPolicy: { id: 1 } });
      assert.equal(result.status, 400);
      assert.match(result.body.message, /integrationType/);
      assert.equal((await call(tokens.source, 'GET', `/${target.id}`)).body.name, 'unchanged');
    });

    it('bodies that are not a JSON object are 400; oversized bodies 413; all in the API error shape', async () => {
      for (const raw of ['[1,2]', '"text"', '{"name": ', 'null']) {
        const result = await call(tokens['source:w'], 'POST', '', raw);
        assert.equal(result.status, 400, raw);
        assert.equal(result.body.status, 400);
      }
      const empty = await fetch(`${server.url}/api/alert-sources`, { method: 'POST', headers: { authorization: `Bearer ${tokens['source:w']}` } });
      assert.equal(empty.status, 400);
      const huge = await call(tokens['source:w'], 'POST', '', validBody({ name: 'x'.repeat(200_000) }));
      assert.equal(huge.status, 413);
      assert.equal(huge.body.status, 413);
    });
  });

  describe('unknown paths and methods', () => {
    it('unsupported methods answer 405 with Allow and the API error body', async () => {
      const patch = await call(tokens['source:d'], 'PATCH', '/1', { name: 'x' });
      assert.equal(patch.status, 405);
      assert.match(patch.headers.get('allow') ?? '', /PUT/);
      assert.deepEqual([patch.body.status, patch.body.code], [405, 'METHOD_NOT_ALLOWED']);
      const deleteAll = await call(tokens['source:d'], 'DELETE', '');
      assert.equal(deleteAll.status, 405);
      assert.equal(deleteAll.body.status, 405);
    });

    it('unknown /api paths answer 404 in the API error shape', async () => {
      const response = await fetch(`${server.url}/api/alert-sourcez`, { headers: { authorization: `Bearer ${tokens['source:d']}` } });
      assert.equal(response.status, 404);
      const body = (await response.json()) as Json;
      assert.deepEqual([body.status, typeof body.message, typeof body.code], [404, 'string', 'string']);
    });
  });
});
