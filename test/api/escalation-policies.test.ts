// /api/escalation-policies as on ilert: every account has its default policy from its creation, so
// an app can create an alert source in a brand-new account; the scope is `policy`; accounts are
// kept apart; ids and paging are checked (404 and 400, never a 500).
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createTenant, createUser } from '../../src/platform/accounts.ts';
import type { Tenant } from '../../src/domain/identity.ts';
import { PASSWORD, startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';
import { tokenFor } from '../helpers/tokens.ts';

type Json = Record<string, any>;

const ILERT_FIELDS = ['delayMin', 'escalationRules', 'frequency', 'id', 'name', 'repeating', 'routingKey', 'teams'];

forEachStore('/api/escalation-policies', (kind) => {
  let server: TestServer;
  let fresh: Tenant;
  const owner = { tenant: 'initech', username: 'peter', password: PASSWORD };

  async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
  }

  before(async () => {
    server = await startTestServer({ store: kind.name });
    // A new account, made as `gatehouse tenants create` makes it, and nothing else.
    fresh = await createTenant({ slug: 'initech', name: 'Initech' }, server.ctx);
    await createUser({ tenantId: fresh.id, username: 'peter', password: PASSWORD, role: 'ADMIN' }, server.ctx);
  });
  after(() => server.close());

  it("a new account has its default policy, which an app can list, read and create an alert source with", async () => {
    const token = await tokenFor(server, 'policy source:w', owner);
    const list = await call(token, 'GET', '/api/escalation-policies');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.equal(list.body.length, 1);
    const [policy] = list.body as Json[];
    assert.deepEqual(Object.keys(policy!).sort(), ILERT_FIELDS);
    assert.equal(policy!.name, 'Default');
    assert.deepEqual(policy!.escalationRules, []);

    const one = await call(token, 'GET', `/api/escalation-policies/${policy!.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, policy);

    const source = await call(token, 'POST', '/api/alert-sources', { name: 'Checks', integrationType: 'API', escalationPolicy: { id: policy!.id } });
    assert.equal(source.status, 201, JSON.stringify(source.body));
    assert.equal(source.body.escalationPolicy.name, 'Default');
  });

  it('keeps accounts apart: another account\'s policy is a 404, and each lists only its own', async () => {
    const initech = await call(await tokenFor(server, 'policy', owner), 'GET', '/api/escalation-policies');
    const acmeToken = await tokenFor(server, 'policy');
    const acme = await call(acmeToken, 'GET', '/api/escalation-policies');
    assert.equal(acme.body.length, 1);
    assert.notEqual(acme.body[0].id, initech.body[0].id);
    const foreign = await call(acmeToken, 'GET', `/api/escalation-policies/${initech.body[0].id}`);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.code, 'NOT_FOUND');
  });

  it('needs the policy scope (or wildcard): source alone is OAUTH2_SCOPE_ERROR', async () => {
    const denied = await call(await tokenFor(server, 'source'), 'GET', '/api/escalation-policies');
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 'OAUTH2_SCOPE_ERROR');
    assert.equal(denied.body.scope, 'policy');
    const wildcard = await call(await tokenFor(server, 'wildcard'), 'GET', '/api/escalation-policies');
    assert.equal(wildcard.status, 200);
    const write = await call(await tokenFor(server, 'policy'), 'POST', '/api/escalation-policies', { name: 'New' });
    assert.equal(write.status, 405, 'policies are read-only here');
  });

  it('pages as ilert does and refuses bad ids and paging with 404 and 400', async () => {
    const token = await tokenFor(server, 'policy');
    const second = await server.store.escalationPolicies.create(server.tenant.id, 'Night shift');
    const page = await call(token, 'GET', '/api/escalation-policies?start-index=1&max-results=1');
    assert.deepEqual(page.body.map((p: Json) => p.name), ['Night shift']);
    assert.equal((await call(token, 'GET', '/api/escalation-policies?max-results=1')).body[0].name, 'Default', 'the default comes first');
    assert.equal((await call(token, 'GET', `/api/escalation-policies/${second.id}`)).body.name, 'Night shift');
    assert.equal((await call(token, 'GET', '/api/escalation-policies?max-results=500')).status, 400);
    for (const id of ['0', '999999', '99999999999', 'abc', '-1']) {
      const missing = await call(token, 'GET', `/api/escalation-policies/${id}`);
      assert.equal(missing.status, 404, id);
      assert.equal(missing.body.code, 'NOT_FOUND', id);
    }
  });
});
