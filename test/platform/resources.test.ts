// Registering resource servers: what an identifier and a scope list must be, every problem at
// once, one live resource per identifier, the built-in API's rules, and audited changes.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { BUILT_IN_RESOURCE_ID } from '../../src/domain/resource-server.ts';
import { RegistrationError } from '../../src/platform/apps.ts';
import { deleteResource, findResource, registerResource, rotateResourceSecret, scopeProblems, updateResource } from '../../src/platform/resources.ts';
import { sha256Hex } from '../../src/oauth/secrets.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore } from '../helpers/stores.ts';

const family = (name: string, noun = 'Things') => ({ kind: 'family' as const, name, noun });
const plain = (name: string, description = 'Do a thing') => ({ kind: 'plain' as const, name, description });

/** The messages of the RegistrationError `work` throws. */
async function problemsOf(work: () => Promise<unknown>): Promise<string[]> {
  try {
    await work();
  } catch (error) {
    if (error instanceof RegistrationError) return error.problems.map((p) => p.message);
    throw error;
  }
  assert.fail('expected a RegistrationError');
}

it('names every scope problem: grammar, repeats, offline_access, plain names a family would claim, missing words', () => {
  assert.deepEqual(scopeProblems([family('notes'), plain('notes.export')]), []);
  const messages = scopeProblems([family('Notes'), family('notes'), plain('notes:w'), plain('notes'), plain('offline_access'), plain('bad name'), family('x', ' ')]).map((p) => p.message);
  for (const expected of [/family "Notes" must be lowercase/, /"notes:w" would read as a level of the family "notes"/, /"notes" is defined twice/, /offline_access is not a resource's scope/, /"bad name" must be letters/, /"x" needs a noun/]) {
    assert.ok(messages.some((m) => expected.test(m)), `${expected} in ${messages.join(' | ')}`);
  }
  assert.deepEqual(scopeProblems([]).map((p) => p.message), ['A resource needs at least one scope']);
  assert.deepEqual(scopeProblems([family('notes'), plain('notes:export')]), [], 'a colon that is no level is a plain name');
});

forEachStore('resource registration', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  it('refuses a bad registration with every problem at once', async () => {
    const messages = await problemsOf(() => registerResource({ identifier: 'notes', name: ' ', scopes: [], accessTokenLifetime: 5 }, {}, server.ctx));
    assert.equal(messages.length, 4, messages.join(' | '));
    assert.match(messages[0] ?? '', /absolute URI/);
    for (const [identifier, pattern] of [
      ['https://n.example.com/api#x', /fragment/],
      ['https://n.example.com/api?v=1', /query/],
      [`${server.url}/api`, /built-in API/],
    ] as const) {
      assert.match((await problemsOf(() => registerResource({ identifier, name: 'N', scopes: [family('n')] }, {}, server.ctx)))[0] ?? '', pattern);
    }
  });

  it('registers a resource with hashed credentials, once per identifier, and finds it by id or identifier', async () => {
    const { resource, clientSecret } = await registerResource({ identifier: 'https://one.example.com', name: 'One', scopes: [family('things')] }, {}, server.ctx);
    assert.match(resource.clientId, /^rs_[0-9a-f]{20}$/);
    assert.match(clientSecret, /^[0-9a-f]{64}$/);
    assert.equal(resource.clientSecretHash, sha256Hex(clientSecret));
    assert.equal(resource.accessTokenLifetime, 3600);
    assert.deepEqual(await problemsOf(() => registerResource({ identifier: 'https://one.example.com', name: 'Again', scopes: [family('things')] }, {}, server.ctx)), [
      'A resource with the identifier https://one.example.com is already registered',
    ]);
    assert.equal((await findResource(String(resource.id), server.ctx))?.identifier, 'https://one.example.com');
    assert.equal((await findResource('https://one.example.com', server.ctx))?.id, resource.id);
    assert.equal((await findResource(`${server.url}/api`, server.ctx))?.id, BUILT_IN_RESOURCE_ID);
    const listed = await server.store.resourceServers.list();
    assert.equal(listed[0]?.builtIn, true, 'the built-in API comes first');
    assert.ok(listed.some((r) => r.id === resource.id));

    const rotated = await rotateResourceSecret(resource, {}, server.ctx);
    assert.equal(rotated.resource.clientSecretHash, sha256Hex(rotated.clientSecret));
    assert.notEqual(rotated.clientSecret, clientSecret);
  });

  it('keeps the built-in API: its scopes are ilert\'s and it cannot be deleted', async () => {
    const builtIn = await server.store.resourceServers.byId(BUILT_IN_RESOURCE_ID);
    assert.ok(builtIn?.builtIn);
    assert.equal(builtIn.identifier, null);
    assert.ok(builtIn.scopes.some((s) => s.name === 'source'), 'migration 011 copied ilert\'s table');
    assert.match((await problemsOf(() => updateResource(builtIn, { scopes: [family('x')] }, {}, server.ctx)))[0] ?? '', /cannot change/);
    assert.match((await problemsOf(() => deleteResource(builtIn, {}, server.ctx)))[0] ?? '', /cannot be deleted/);
    const renamed = await updateResource(builtIn, { description: 'Our API' }, {}, server.ctx);
    assert.equal(renamed.description, 'Our API');
  });

  it('frees the identifier of a deleted resource and audits every change', async () => {
    const { resource } = await registerResource({ identifier: 'https://two.example.com', name: 'Two', scopes: [plain('read')] }, {}, server.ctx);
    await updateResource(resource, { scopes: [plain('read'), plain('write')], accessTokenLifetime: 120 }, {}, server.ctx);
    assert.deepEqual(await deleteResource(resource, {}, server.ctx), { revokedFamilies: 0 });
    assert.equal(await findResource('https://two.example.com', server.ctx), undefined);
    const tombstone = await server.store.resourceServers.byClientId(resource.clientId);
    assert.ok(tombstone?.deletedAt, 'its credentials still find it (the feed)');
    const again = await registerResource({ identifier: 'https://two.example.com', name: 'Two again', scopes: [plain('read')] }, {}, server.ctx);
    assert.notEqual(again.resource.id, resource.id);
    const events = await server.store.audit.list({ limit: 20 });
    const types = events.map((e) => e.type);
    for (const type of ['resource_created', 'resource_updated', 'resource_deleted'] as const) assert.ok(types.includes(type), type);
    assert.ok(events.some((e) => e.type === 'resource_deleted' && e.detail.includes('"Two" (https://two.example.com) deleted')));
  });
});
