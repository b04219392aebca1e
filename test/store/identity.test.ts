// Tenants, users and apps round-trip through the store as the domain types describe them.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { forEachStore } from '../helpers/stores.ts';

const NOW = new Date('2030-01-01T00:00:00Z');

forEachStore('store: tenants, users, apps', (kind) => {
  let store: Store;
  before(async () => {
    store = await kind.open();
  });
  after(() => store.close());

  it('creates and finds tenants', async () => {
    const tenant = await store.tenants.create({ slug: 'acme', name: 'Acme Corp' }, NOW);
    assert.deepEqual(await store.tenants.bySlug('acme'), { id: tenant.id, slug: 'acme', name: 'Acme Corp', createdAt: NOW });
    assert.deepEqual(await store.tenants.byId(tenant.id), tenant);
    assert.equal(await store.tenants.bySlug('nope'), undefined);
    assert.equal(await store.tenants.count(), 1);
    await store.tenants.create({ slug: 'aardvark', name: 'Aardvark' }, NOW);
    assert.deepEqual((await store.tenants.list()).map((t) => t.slug), ['aardvark', 'acme'], 'by slug');
    await assert.rejects(store.tenants.create({ slug: 'acme', name: 'Again' }, NOW), 'slugs are unique');
  });

  it("keeps an account's MFA policy (none by default), apart from the cached account", async () => {
    const tenant = await store.tenants.create({ slug: 'policy', name: 'Policy' }, NOW);
    const other = await store.tenants.create({ slug: 'unchanged', name: 'Unchanged' }, NOW);
    assert.deepEqual(await store.tenants.mfaPolicy(tenant.id), { required: 'off', forDeleteScopes: false });
    await store.tenants.byId(tenant.id);
    await store.tenants.setMfaPolicy(tenant.id, { required: 'everyone', forDeleteScopes: true });
    assert.deepEqual(await store.tenants.mfaPolicy(tenant.id), { required: 'everyone', forDeleteScopes: true }, 'read fresh after a change');
    await store.tenants.setMfaPolicy(tenant.id, { required: 'admins', forDeleteScopes: false });
    assert.deepEqual(await store.tenants.mfaPolicy(tenant.id), { required: 'admins', forDeleteScopes: false });
    assert.deepEqual(await store.tenants.mfaPolicy(other.id), { required: 'off', forDeleteScopes: false }, 'other accounts keep theirs');
  });

  it('hands out the password hash only to the login lookup', async () => {
    const tenant = await store.tenants.create({ slug: 'globex', name: 'Globex' }, NOW);
    const input = { tenantId: tenant.id, username: 'otto', passwordHash: '$argon2id$fake', email: 'otto@globex.example', firstName: 'Otto', lastName: 'G', role: 'ADMIN' as const };
    const user = await store.users.create(input, NOW);
    assert.equal('passwordHash' in user, false);
    assert.equal(user.role, 'ADMIN');
    assert.equal(user.disabled, false);
    assert.equal(user.language, 'en');
    const byId = await store.users.byId(user.id);
    assert.ok(byId);
    assert.equal('passwordHash' in byId, false);
    assert.equal((await store.users.forLogin(tenant.id, 'otto'))?.passwordHash, '$argon2id$fake');
    assert.equal(await store.users.forLogin(tenant.id + 1000, 'otto'), undefined, 'usernames are per tenant');
    await assert.rejects(store.users.create(input, NOW), 'usernames are unique within a tenant');
  });

  it('keeps a user\'s phone number from creation, changes and removes it', async () => {
    const tenant = await store.tenants.create({ slug: 'hooli', name: 'Hooli' }, NOW);
    const base = { tenantId: tenant.id, passwordHash: '$argon2id$fake', email: 'x@hooli.example', firstName: 'X', lastName: '', role: 'USER' as const };
    assert.equal((await store.users.create({ ...base, username: 'none' }, NOW)).phoneNumber, null);
    const user = await store.users.create({ ...base, username: 'gavin', phoneNumber: '+4915112345678' }, NOW);
    assert.equal((await store.users.byId(user.id))?.phoneNumber, '+4915112345678');
    assert.equal((await store.users.update(user.id, { phoneNumber: '+123456789012345' }, NOW))?.phoneNumber, '+123456789012345');
    assert.equal((await store.users.update(user.id, { role: 'ADMIN' }, NOW))?.phoneNumber, '+123456789012345', 'other changes leave it');
    assert.equal((await store.users.update(user.id, { phoneNumber: null }, NOW))?.phoneNumber, null);
    assert.equal((await store.users.forLogin(tenant.id, 'gavin'))?.phoneNumber, null);
  });

  it('keeps an app\'s redirect URIs in order and its flags', async () => {
    const tenant = await store.tenants.create({ slug: 'initech', name: 'Initech' }, NOW);
    const app = await store.apps.create(
      {
        tenantId: tenant.id,
        clientId: 'abcdefabcdefabcdef12',
        clientSecretHash: 'a'.repeat(64),
        name: 'Sync',
        description: 'Syncs things',
        redirectUris: ['https://b.example/cb', 'http://127.0.0.1/cb'],
        limitToAccount: true,
      },
      NOW,
    );
    assert.deepEqual(app.redirectUris, ['https://b.example/cb', 'http://127.0.0.1/cb']);
    assert.equal(app.limitToAccount, true);
    assert.equal(app.verified, false);
    assert.deepEqual(await store.apps.byClientId('abcdefabcdefabcdef12'), app);
    assert.deepEqual(await store.apps.byId(app.id), app);
    assert.deepEqual(await store.apps.byName('Sync'), app);
    assert.equal(await store.apps.byClientId('0'.repeat(20)), undefined);
  });
});
