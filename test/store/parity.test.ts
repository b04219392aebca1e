// SQLite and PostgreSQL answer alike: the same calls on two fresh stores return deeply equal
// values, so numbers stay numbers (PostgreSQL's bigint and count(*)), times stay Dates, flags
// stay booleans and JSON columns come back parsed, area by area.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { STORE_KINDS } from '../helpers/stores.ts';
import { onBuiltInApi } from '../helpers/grant-merge.ts';

const T0 = new Date('2030-01-01T00:00:00.123Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const union = onBuiltInApi((a, b) => [...new Set(`${a} ${b}`.split(' '))].sort().join(' '));

/** Each area's calls; every value a call returns is recorded for comparison. */
const AREAS: Record<string, (store: Store, record: (value: unknown) => void) => Promise<void>> = {
  async identity(store, record) {
    const tenant = await store.tenants.create({ slug: 'acme', name: 'Acme' }, T0);
    record(tenant);
    record(await store.tenants.bySlug('acme'));
    record(await store.tenants.byId(tenant.id));
    record(await store.tenants.byId(999));
    record(await store.tenants.count());
    record(await store.tenants.list());
    const user = await store.users.create({ tenantId: tenant.id, username: 'jane', passwordHash: 'hash', email: 'j@example.com', firstName: 'J', lastName: 'D', role: 'ADMIN', language: 'de' }, T0);
    record(user);
    record(await store.users.byId(user.id));
    record(await store.users.forLogin(tenant.id, 'jane'));
    record(await store.users.forLogin(tenant.id, 'nobody'));
  },

  async apps(store, record) {
    const tenant = await store.tenants.create({ slug: 'apps', name: 'Apps' }, T0);
    const app = await store.apps.create(
      { tenantId: tenant.id, clientId: 'a'.repeat(20), clientSecretHash: 'b'.repeat(64), name: 'Sync', description: 'd', redirectUris: ['https://x.example/cb', 'http://127.0.0.1/cb'], limitToAccount: true },
      T0,
    );
    record(app);
    record(await store.apps.byClientId(app.clientId));
    record(await store.apps.byId(app.id));
    record(await store.apps.byName('Sync'));
    record(await store.apps.byName('nope'));
  },

  async dynamicClients(store, record) {
    const client = await store.apps.create(
      { tenantId: null, clientId: 'dcr'.padEnd(20, '0'), clientSecretHash: null, name: 'Agent', description: '', redirectUris: ['http://127.0.0.1/cb'], limitToAccount: false, registration: 'dynamic', tokenEndpointAuthMethod: 'none', registrationTokenHash: 'f'.repeat(64), clientMetadata: { applicationType: 'native', contacts: ['a@example.com'] } },
      T0,
    );
    record(client);
    record(await store.apps.listByRegistration('dynamic'));
    record(await store.apps.unusedSince('dynamic', at(10), 10));
    record(await store.apps.markUsed(client.id, at(20)));
    record(await store.apps.unusedSince('dynamic', at(10), 10));
    record(await store.apps.byId(client.id));
    const token = await store.registrationTokens.create({ tokenHash: 'g'.repeat(64), label: 'ci', maxUses: 1, expiresAt: at(100) }, T0);
    record(token);
    record(await store.registrationTokens.findLive('g'.repeat(64), at(1)));
    record(await store.registrationTokens.use('g'.repeat(64), at(2)));
    record(await store.registrationTokens.use('g'.repeat(64), at(3)));
    record(await store.registrationTokens.revoke(token.id, at(4)));
    record(await store.registrationTokens.list());
  },

  async tokens(store, record) {
    const tenant = await store.tenants.create({ slug: 'tok', name: 'Tok' }, T0);
    const user = await store.users.create({ tenantId: tenant.id, username: 'u', passwordHash: 'h', email: 'u@example.com', firstName: 'U', lastName: 'U', role: 'USER' }, T0);
    const app = await store.apps.create({ tenantId: tenant.id, clientId: 'c'.repeat(20), clientSecretHash: 'd'.repeat(64), name: 'T', description: '', redirectUris: ['https://t.example/cb'], limitToAccount: false }, T0);
    const code = { codeHash: 'code-1', appId: app.id, userId: user.id, redirectUri: 'https://t.example/cb', scope: 'profile', codeChallenge: null, familyId: 'fam-1', createdAt: T0, expiresAt: at(120) };
    record(await store.codes.issue(code, { id: 'fam-1', appId: app.id, userId: user.id, scope: 'profile', confidential: false, createdAt: T0 }));
    record(await store.codes.find('code-1'));
    record(await store.codes.consume('code-1', at(1), { confidential: true, maxLivePerAppUser: 2 }));
    record(await store.codes.find('code-1'));
    record(await store.codes.consume('code-1', at(2)));
    record(await store.codes.consume('nope', at(2)));
    record(await store.families.byId('fam-1'));
    for (let i = 0; i < 3; i++) {
      record(await store.refreshTokens.issue({ tokenHash: `rt-${i}`, familyId: 'fam-1', appId: app.id, userId: user.id, scope: 'profile', createdAt: at(i), expiresAt: at(1000) }, 2, at(i)));
    }
    record(await store.refreshTokens.touch('rt-2', at(50)));
    record(await store.refreshTokens.byHash('rt-2'));
    record(await store.refreshTokens.byHash('nope'));
    record(await store.families.isRevoked('fam-1'));
    record(await store.families.revoke('fam-1', 'revoked_by_user', at(60)));
    record(await store.families.byId('fam-1'));
    record(await store.refreshTokens.byHash('rt-0'));
    record(await store.families.isRevoked('fam-1'));
  },

  async grants(store, record) {
    const tenant = await store.tenants.create({ slug: 'gr', name: 'Gr' }, T0);
    const user = await store.users.create({ tenantId: tenant.id, username: 'g', passwordHash: 'h', email: 'g@example.com', firstName: 'G', lastName: 'G', role: 'USER' }, T0);
    const app = await store.apps.create({ tenantId: tenant.id, clientId: 'e'.repeat(20), clientSecretHash: 'f'.repeat(64), name: 'G', description: '', redirectUris: ['https://g.example/cb'], limitToAccount: false }, T0);
    record(await store.grants.upsert({ userId: user.id, appId: app.id, scope: 'profile', clientDescription: 'curl' }, at(1), union));
    record(await store.grants.upsert({ userId: user.id, appId: app.id, scope: 'source:w', clientDescription: 'Firefox' }, at(2), union));
    record(await store.grants.touch(user.id, app.id, at(3)));
    record(await store.grants.find(user.id, app.id));
    record(await store.grants.find(user.id, app.id + 1));
  },

  async sessions(store, record) {
    const tenant = await store.tenants.create({ slug: 'se', name: 'Se' }, T0);
    const user = await store.users.create({ tenantId: tenant.id, username: 's', passwordHash: 'h', email: 's@example.com', firstName: 'S', lastName: 'S', role: 'USER' }, T0);
    record(await store.sessions.create({ idHash: 'sess-1', tenantId: tenant.id, userId: user.id, createdAt: T0, expiresAt: at(60) }));
    record(await store.sessions.byIdHash('sess-1', at(1)));
    record(await store.sessions.byIdHash('sess-1', at(61)));
    record(await store.sessions.delete('sess-1'));
    record(await store.sessions.byIdHash('sess-1', at(1)));
  },

  async resources(store, record) {
    const tenant = await store.tenants.create({ slug: 're', name: 'Re' }, T0);
    const policy = await store.escalationPolicies.create(tenant.id, 'Default');
    record(policy);
    record(await store.escalationPolicies.byId(tenant.id, policy.id));
    record(await store.escalationPolicies.byId(tenant.id + 1, policy.id));
    const input = {
      name: 'Source',
      integrationType: 'API',
      escalationPolicyId: policy.id,
      active: true,
      alertCreation: 'ONE_ALERT_PER_EMAIL',
      alertPriorityRule: 'HIGH',
      autoResolutionTimeout: null,
      alertGroupingWindow: 'PT5M',
      teams: [{ id: 1, name: 'Ops' }],
    };
    const source = await store.alertSources.create(tenant.id, input, 'key-1', T0);
    record(source);
    record(await store.alertSources.update(tenant.id, source.id, { ...input, active: false, teams: [] }, at(5)));
    record(await store.alertSources.byIdOrKey(tenant.id, String(source.id)));
    record(await store.alertSources.byIdOrKey(tenant.id, 'key-1'));
    record(await store.alertSources.byIdOrKey(tenant.id, '99999999999'));
    record(await store.alertSources.list(tenant.id, 0, 10));
    record(await store.alertSources.delete(tenant.id, source.id));
    record(await store.alertSources.delete(tenant.id, source.id));
  },

  async keys(store, record) {
    const key = { kid: 'kid-1', alg: 'RS256', publicJwk: '{"kty":"RSA"}', privateJwkEncrypted: 'enc', createdAt: T0, retiredAt: null };
    record(await store.keys.add(key));
    record(await store.keys.list());
  },
};

const canCompare = STORE_KINDS.length > 1;

describe('SQLite and PostgreSQL return the same values and types', { skip: canCompare ? false : 'PostgreSQL is not reachable (see above)' }, () => {
  const stores: Store[] = [];
  before(async () => {
    for (const kind of STORE_KINDS) stores.push(await kind.open());
  });
  after(async () => {
    for (const store of stores) await store.close();
  });

  for (const [area, calls] of Object.entries(AREAS)) {
    it(area, async () => {
      const results = [];
      for (const store of stores) {
        const values: unknown[] = [];
        await calls(store, (value) => values.push(value));
        results.push(values);
      }
      const [sqlite, ...others] = results;
      for (const [i, other] of others.entries()) assert.deepStrictEqual(other, sqlite, `${STORE_KINDS[i + 1]?.name} differs from sqlite`);
    });
  }
});
