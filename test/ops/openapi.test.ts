// The OpenAPI document at /openapi.json and its page at /docs/api: every API route the app
// registers is described (and nothing else), and the document's schemas — read back from the
// served JSON — accept the real requests and responses of a full flow, and refuse wrong ones.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { registeredRoutes } from '../../src/http/routes.ts';
import { ServerMetrics } from '../../src/ops/metrics.ts';
import { openApiPath } from '../../src/docs/openapi.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { basicAuth, postForm, revokeUrl, tokenInfoUrl, tokenUrl } from '../helpers/token-client.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
/** Pages and their assets: for browsers, not part of the API description. */
const PAGES = [/^\/$/, /^\/login$/, /^\/logout$/, /^\/console(\/|$)/, /^\/assets\//, /^\/apps\//, /^\/favicon\.ico$/, /^\/docs\/api$/, /^\/openapi\.json$/];

type JsonSchema = Record<string, unknown>;
interface Doc {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, { operationId: string; requestBody?: { content: Record<string, { schema: JsonSchema }> }; responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }> }>>;
}

describe('the OpenAPI document', () => {
  let server: TestServer;
  let doc: Doc;
  const operation = (id: string) => {
    for (const [path, methods] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(methods)) if (op.operationId === id) return { path, method, op };
    throw new Error(`no operation ${id}`);
  };

  /** The real response must be documented for its status, and its body must fit the served schema. */
  async function conforms(id: string, response: Response): Promise<unknown> {
    const { op } = operation(id);
    const documented = op.responses[String(response.status)];
    assert.ok(documented, `${id} documents status ${response.status}`);
    const text = await response.text();
    const json = documented.content?.['application/json'];
    if (!json) return text;
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `${id} ${response.status} is JSON`);
    const body: unknown = JSON.parse(text);
    const result = z.fromJSONSchema(json.schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(body);
    assert.ok(result.success, `${id} ${response.status}: ${result.success ? '' : z.prettifyError(result.error)}\n${text}`);
    return body;
  }

  /** The request body the flow sends must fit the documented request schema too. */
  function requestConforms(id: string, type: string, body: unknown): void {
    const schema = operation(id).op.requestBody?.content[type]?.schema;
    assert.ok(schema, `${id} documents a ${type} body`);
    const result = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(body);
    assert.ok(result.success, `${id} request: ${result.success ? '' : z.prettifyError(result.error)}`);
  }

  before(async () => {
    const metrics = new ServerMetrics();
    server = await startTestServer({ appDeps: { metrics: { metrics, endpoint: { token: METRICS_TOKEN, text: () => metrics.text() } } } });
    const response = await fetch(`${server.url}/openapi.json`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    doc = (await response.json()) as Doc;
  });
  after(() => server.close());

  it('is OpenAPI 3.1 for this server', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.servers, [{ url: server.url }]);
  });

  it('describes every registered API route, and no route that does not exist', async () => {
    const routes = registeredRoutes(server.app).filter((r) => r.method !== 'HEAD' && !PAGES.some((page) => page.test(r.url)));
    assert.ok(routes.length >= 20, 'the hook saw the routes');
    for (const route of routes) {
      if (doc.paths[openApiPath(route.url)]?.[route.method.toLowerCase()]) continue;
      // The rest must be the 405 answers for methods a resource does not support.
      const response = await fetch(`${server.url}${route.url.replace(':id', '1')}`, { method: route.method });
      assert.equal(response.status, 405, `${route.method} ${route.url} is neither documented nor a 405`);
    }
    const registered = new Set(registeredRoutes(server.app).map((r) => `${r.method.toLowerCase()} ${openApiPath(r.url)}`));
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) assert.ok(registered.has(`${method} ${path}`), `${method.toUpperCase()} ${path} is documented but not registered`);
    }
  });

  it("validates the real answers of discovery, health, readiness and metrics", async () => {
    const metadata = (await conforms('metadata', await fetch(`${server.url}/.well-known/oauth-authorization-server`))) as { token_endpoint: string };
    assert.equal(metadata.token_endpoint, `${server.url}/api/developers/oauth2/token`);
    await conforms('jwks', await fetch(`${server.url}/.well-known/jwks.json`));
    await conforms('healthz', await fetch(`${server.url}/healthz`));
    await conforms('readyz', await fetch(`${server.url}/readyz`));
    await conforms('metrics', await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }));
    await conforms('metrics', await fetch(`${server.url}/metrics`));
  });

  it('validates the real requests and answers of the OAuth endpoints', async () => {
    const browser = new Browserless(server.url);
    const authorizePage = await browser.request(`/api/developers/oauth2/authorize?${authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile source:d' })}`);
    await conforms('authorize', authorizePage);
    const code = await browser.authorizeCode(authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'profile source:d', state: 'x' }), {
      tenant: 'acme',
      username: 'jane',
      password: PASSWORD,
    });
    const exchange = { grant_type: 'authorization_code', code, client_id: server.backend.clientId, client_secret: server.backend.clientSecret };
    requestConforms('token', 'application/x-www-form-urlencoded', exchange);
    const tokens = (await conforms('token', await fetch(tokenUrl(server.url), { method: 'POST', body: new URLSearchParams(exchange) }))) as { access_token: string; refresh_token: string };
    const refresh = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token };
    requestConforms('token', 'application/json', refresh);
    const basic = basicAuth(server.backend.clientId, server.backend.clientSecret);
    await conforms('token', await fetch(tokenUrl(server.url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic }, body: JSON.stringify(refresh) }));
    await conforms('token', await fetch(tokenUrl(server.url), { method: 'POST', body: new URLSearchParams({ grant_type: 'password' }) }));
    await conforms('token', await fetch(tokenUrl(server.url), { method: 'POST', body: new URLSearchParams({ ...refresh, client_id: server.backend.clientId, client_secret: 'wrong' }) }));

    assert.equal(((await conforms('tokenInfo', await fetch(tokenInfoUrl(server.url), { method: 'POST', body: new URLSearchParams({ token: tokens.access_token }) }))) as { active: boolean }).active, true);
    await conforms('tokenInfo', await fetch(tokenInfoUrl(server.url), { method: 'POST', body: new URLSearchParams({ token: 'not a token' }) }));
    await conforms('tokenInfo', await fetch(tokenInfoUrl(server.url), { method: 'POST', body: new URLSearchParams({}) }));
    for (const token of [tokens.access_token, tokens.refresh_token, 'ghr_unknown']) {
      await conforms('introspect', await fetch(`${server.url}/oauth2/introspect`, { method: 'POST', headers: { authorization: basic }, body: new URLSearchParams({ token }) }));
    }
    await conforms('introspect', await fetch(`${server.url}/oauth2/introspect`, { method: 'POST', body: new URLSearchParams({ token: tokens.access_token, client_id: server.backend.clientId }) }));

    const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json', ...init.headers } });
    await conforms('currentUser', await api('/api/users/current'));
    await conforms('currentUser', await fetch(`${server.url}/api/users/current`));
    const policy = await server.store.escalationPolicies.create(server.tenant.id, 'On call');
    const body = { name: 'Billing checks', integrationType: 'API', escalationPolicy: { id: policy.id }, teams: [{ id: 3, name: 'Billing' }], autoResolutionTimeout: 'PT4H' };
    requestConforms('createAlertSource', 'application/json', body);
    const created = (await conforms('createAlertSource', await api('/api/alert-sources', { method: 'POST', body: JSON.stringify(body) }))) as { id: number; integrationKey: string };
    await conforms('createAlertSource', await api('/api/alert-sources', { method: 'POST', body: JSON.stringify({ ...body, integrationType: 'CARRIER_PIGEON' }) }));
    await conforms('listAlertSources', await api('/api/alert-sources?max-results=10'));
    await conforms('listAlertSources', await api('/api/alert-sources?max-results=500'));
    await conforms('getAlertSource', await api(`/api/alert-sources/${created.id}`));
    await conforms('getAlertSource', await api(`/api/alert-sources/${created.integrationKey}`));
    await conforms('getAlertSource', await api('/api/alert-sources/999999'));
    await conforms('replaceAlertSource', await api(`/api/alert-sources/${created.id}`, { method: 'PUT', body: JSON.stringify({ ...body, active: false }) }));
    await conforms('deleteAlertSource', await api(`/api/alert-sources/${created.id}`, { method: 'DELETE' }));
    const readOnly = await new Browserless(server.url).authorizeCode(authorizeQuery({ client_id: server.backend.clientId, response_type: 'code', redirect_uri: BACKEND_REDIRECT, scope: 'source policy', state: 'y' }), {
      tenant: 'acme',
      username: 'jane',
      password: PASSWORD,
    });
    const readOnlyToken = (await postForm(tokenUrl(server.url), { ...exchange, code: readOnly })).body.access_token as string;
    await conforms('currentUser', await fetch(`${server.url}/api/users/current`, { headers: { authorization: `Bearer ${readOnlyToken}` } }));
    await conforms('listAlertSources', await fetch(`${server.url}/api/alert-sources`, { headers: { authorization: `Bearer ${readOnlyToken}` } }));
    const readOnlyApi = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${readOnlyToken}` } });
    await conforms('listEscalationPolicies', await readOnlyApi('/api/escalation-policies'));
    await conforms('listEscalationPolicies', await readOnlyApi('/api/escalation-policies?start-index=x'));
    await conforms('listEscalationPolicies', await api('/api/escalation-policies'));
    await conforms('getEscalationPolicy', await readOnlyApi(`/api/escalation-policies/${policy.id}`));
    await conforms('getEscalationPolicy', await readOnlyApi('/api/escalation-policies/999999'));

    await conforms('revoke', await fetch(revokeUrl(server.url), { method: 'POST', body: new URLSearchParams({ token: tokens.refresh_token }) }));
    await conforms('revokeRfc7009', await fetch(`${server.url}/oauth2/revoke`, { method: 'POST', body: new URLSearchParams({ token: tokens.access_token }) }));
    await conforms('revoke', await fetch(revokeUrl(server.url), { method: 'POST', body: new URLSearchParams({}) }));
  });

  it('has schemas that refuse answers of the wrong shape', () => {
    const schema = (id: string, status: string) => z.fromJSONSchema(operation(id).op.responses[status]?.content?.['application/json']?.schema as Parameters<typeof z.fromJSONSchema>[0]);
    assert.equal(schema('token', '200').safeParse({ token_type: 'Bearer', expires_in: 3600, scope: 'profile' }).success, false, 'no access_token');
    assert.equal(schema('token', '200').safeParse({ token_type: 'Bearer', access_token: 'x', expires_in: 3600, scope: 'p', extra: 1 }).success, false, 'an unknown field');
    assert.equal(schema('tokenInfo', '200').safeParse({ active: true, username: 'jane' }).success, false);
    assert.equal(schema('currentUser', '200').safeParse({ id: '1' }).success, false);
    assert.equal(schema('revoke', '200').safeParse({ revoked: true }).success, false);
  });
});

describe('/docs/api', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('renders every operation of the document on the server, with no script and nothing from elsewhere', async () => {
    const response = await fetch(`${server.url}/docs/api`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const page = await response.text();
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as Doc;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        assert.ok(page.includes(`id="${op.operationId}"`), `a section for ${op.operationId}`);
        assert.ok(page.includes(`<span class="badge">${method.toUpperCase()}</span> <code>${path}</code>`), `${method} ${path}`);
      }
    }
    assert.match(page, /client_secret/);
    assert.match(page, /escalationPolicy\.id/, 'nested fields are listed');
    assert.doesNotMatch(page, /<script/i);
    for (const [, url] of page.matchAll(/(?:href|src)="([^"]*)"/g)) assert.match(url ?? '', /^(\/|#)/, `only local links and assets: ${url}`);
  });
});
