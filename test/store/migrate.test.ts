// Migrations, on every database: applied once and remembered, a newer schema refuses to open,
// and several processes migrating at once (`gatehouse migrate`, instances starting) apply each
// migration exactly once.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { SchemaTooNewError } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { openAndMigrate } from '../../src/store/open.ts';
import { forEachStore, storeKind, type TestDatabase } from '../helpers/stores.ts';
import { startWorker } from './worker-process.ts';

const ALL = MIGRATIONS.map((m) => m.name);

/** Runs one statement on the database behind the store's back, as an operator with psql would. */
async function rawSql(db: TestDatabase, text: string, params: unknown[]): Promise<void> {
  if (db.kind === 'sqlite') {
    const raw = new SqliteDatabase(join(db.options.dataDir, 'gatehouse.sqlite'));
    try {
      raw.prepare(text.replace(/\$\d/g, '?')).run(...params);
    } finally {
      raw.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: db.options.databaseUrl });
  await client.connect();
  try {
    await client.query(text, params);
  } finally {
    await client.end();
  }
}

/** The names of a table's indexes, read behind the store's back. */
async function indexesOf(db: TestDatabase, table: string): Promise<string[]> {
  if (db.kind === 'sqlite') {
    const raw = new SqliteDatabase(join(db.options.dataDir, 'gatehouse.sqlite'));
    try {
      return (raw.prepare("select name from sqlite_master where type = 'index' and tbl_name = ? and sql is not null").all(table) as { name: string }[]).map((r) => r.name).sort();
    } finally {
      raw.close();
    }
  }
  const client = new pg.Client({ connectionString: db.options.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ indexname: string }>("select indexname from pg_indexes where tablename = $1 and schemaname = current_schema() and indexname not like '%_pkey'", [table]);
    return rows.map((r) => r.indexname).sort();
  } finally {
    await client.end();
  }
}

forEachStore('migrations', (kind) => {
  it('applies every migration on first open and nothing on the second; data survives', async () => {
    const db = await kind.database();
    const first = await openAndMigrate(db.options);
    assert.deepEqual(first.applied, ALL);
    await first.store.tenants.create({ slug: 'acme', name: 'Acme' }, new Date());
    await first.store.close();

    const second = await openAndMigrate(db.options);
    try {
      assert.deepEqual(second.applied, []);
      assert.equal((await second.store.tenants.bySlug('acme'))?.name, 'Acme');
    } finally {
      await second.store.close();
    }
  });

  it('refuses a database migrated by a newer Gatehouse, naming the migration, and holds no lock afterwards', { timeout: 20_000 }, async () => {
    const db = await kind.database();
    await (await db.open()).close();
    await rawSql(db, 'insert into gatehouse_migrations (name, applied_at) values ($1, $2)', ['999-from-the-future', Date.now()]);

    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(openAndMigrate(db.options), (error: unknown) => {
        assert.ok(error instanceof SchemaTooNewError, `expected SchemaTooNewError, got ${String(error)}`);
        assert.match(error.message, /999-from-the-future/);
        assert.match(error.message, /upgrade Gatehouse/);
        return true;
      });
    }
    // The failed opens left no lock behind: the database can be repaired and opened.
    await rawSql(db, 'delete from gatehouse_migrations where name = $1', ['999-from-the-future']);
    const repaired = await openAndMigrate(db.options);
    assert.deepEqual(repaired.applied, []);
    await repaired.store.close();
  });

  it('applies each migration once when three processes migrate a new database at once', { timeout: 60_000 }, async () => {
    const db = await kind.database();
    // Two other processes and this one, released together once the others have loaded.
    const workers = [0, 1].map(() => startWorker({ task: 'migrate', options: db.options }));
    const results = await (async () => {
      try {
        await Promise.all(workers.map((w) => w.ready));
        const here = openAndMigrate(db.options).then(async ({ store, applied }) => {
          await store.close();
          return { applied };
        });
        return await Promise.all([...workers.map((w) => w.send({ op: 'go' })), here]);
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
    })();
    const applied = results.map((r) => r.applied as string[]);
    assert.deepEqual(
      applied.filter((names) => names.length > 0),
      [ALL],
      `one process applies everything, the others find nothing to do: ${JSON.stringify(applied)}`,
    );
    const store = await db.open();
    try {
      assert.equal(await store.tenants.count(), 0, 'the schema works');
    } finally {
      await store.close();
    }
  });

  it('upgrades a database of the previous release: apps get the default grant types, token families keep their rows, keys and indexes, and may now have no user', async () => {
    const db = await kind.database();
    const before = MIGRATIONS.findIndex((m) => m.name === '007-app-grant-types');
    await (await openAndMigrate({ ...db.options, migrations: MIGRATIONS.slice(0, before) })).store.close();
    const now = Date.now();
    const rows: [string, unknown[]][] = [
      ['insert into tenants (slug, name, created_at) values ($1, $2, $3)', ['acme', 'Acme', now]],
      [
        `insert into users (tenant_id, username, password_hash, email, first_name, last_name, timezone, position, department, language, region, role, shift_color, disabled, created_at, updated_at)
         values (1, 'jane', 'x', 'jane@acme.example', 'Jane', 'Doe', 'Europe/Berlin', '', '', 'en', 'DE', 'ADMIN', '#3366ff', 0, $1, $2)`,
        [now, now],
      ],
      [
        `insert into apps (tenant_id, client_id, client_secret_hash, name, description, redirect_uris, limit_to_account, verified, refresh_rotation, created_at, updated_at)
         values (1, $1, $2, 'Old app', '', '["https://old.example/cb"]', 0, 0, 'never', $3, $4)`,
        ['0123456789abcdef0123', 'a'.repeat(64), now, now],
      ],
      ['insert into token_families (id, app_id, user_id, scope, confidential, created_at) values ($1, 1, 1, $2, 1, $3)', ['fam-old', 'profile', now]],
      ['insert into refresh_tokens (token_hash, family_id, app_id, user_id, scope, created_at, expires_at) values ($1, $2, 1, 1, $3, $4, $5)', ['b'.repeat(64), 'fam-old', 'profile', now, now + 86_400_000]],
    ];
    for (const [text, params] of rows) await rawSql(db, text, params);
    const indexes = await indexesOf(db, 'token_families');
    assert.ok(indexes.length >= 3, indexes.join(', '));

    const upgraded = await openAndMigrate(db.options);
    const { store } = upgraded;
    try {
      assert.deepEqual(upgraded.applied, ALL.slice(before));
      // Migration 015 adds one (an app's live own families, for client_credentials), 020 one by sid (ending a session).
      const after = await indexesOf(db, 'token_families');
      const added = ['token_families_live_own', 'token_families_sid'];
      assert.deepEqual(after.filter((name) => !added.includes(name)), indexes);
      for (const name of added) assert.ok(after.includes(name), name);
      assert.deepEqual((await store.apps.byClientId('0123456789abcdef0123'))?.grantTypes, ['authorization_code', 'refresh_token']);
      const old = await store.refreshTokens.withFamily('b'.repeat(64));
      assert.equal(old?.family.id, 'fam-old');
      assert.equal(old?.family.userId, 1);
      assert.equal(old?.family.confidential, true);
      assert.equal((await store.families.liveUser('fam-old'))?.username, 'jane');

      const own = { id: 'fam-app', appId: 1, userId: null, scope: 'source', confidential: true, createdAt: new Date(now) };
      await store.families.create(own);
      assert.deepEqual(await store.families.byId('fam-app'), { ...own, resources: [{ resourceId: 1, scope: 'source' }], revokedAt: null });
      assert.equal(await store.families.isRevoked('fam-app'), false);
      assert.equal(await store.families.liveUser('fam-app'), undefined, 'an app\'s own family has no user');
      assert.equal(await store.families.isRevoked('fam-app'), false, 'and asking for one does not mark it revoked');
      // The rebuilt table still refers to apps and users.
      await assert.rejects(store.families.create({ ...own, id: 'fam-nobody', appId: 999 }));
      await assert.rejects(store.families.create({ ...own, id: 'fam-ghost', userId: 999 }));
      // Deleting the app takes its own families along (apps.delete), and their tokens die with them.
      assert.deepEqual((await store.apps.delete(1))?.sort(), ['fam-app', 'fam-old']);
      assert.equal(await store.families.isRevoked('fam-app'), true);
    } finally {
      await store.close();
    }
  });

  it('opens apps to clients of no account: an older app keeps its rows and settings, and a self-registered one needs no account, secret or unique name', async () => {
    const db = await kind.database();
    const before = MIGRATIONS.findIndex((m) => m.name === '013-open-clients');
    await (await openAndMigrate({ ...db.options, migrations: MIGRATIONS.slice(0, before) })).store.close();
    const now = Date.now();
    await rawSql(db, 'insert into tenants (slug, name, created_at) values ($1, $2, $3)', ['acme', 'Acme', now]);
    await rawSql(
      db,
      `insert into apps (tenant_id, client_id, client_secret_hash, name, description, redirect_uris, limit_to_account, verified, refresh_rotation, grant_types, created_at, updated_at)
       values (1, $1, $2, 'Old app', '', '["https://old.example/cb"]', 1, 1, 'never', '["authorization_code"]', $3, $4)`,
      ['0123456789abcdef0123', 'a'.repeat(64), now, now],
    );
    await rawSql(db, 'insert into token_families (id, app_id, user_id, scope, confidential, created_at) values ($1, 1, null, $2, 1, $3)', ['fam-old', 'source', now]);
    const indexes = await indexesOf(db, 'apps');

    const upgraded = await openAndMigrate(db.options);
    const { store } = upgraded;
    try {
      assert.deepEqual(upgraded.applied, ALL.slice(before));
      const old = await store.apps.byClientId('0123456789abcdef0123');
      assert.ok(old);
      assert.deepEqual(
        { tenantId: old.tenantId, secret: old.clientSecretHash, limit: old.limitToAccount, verified: old.verified, grants: old.grantTypes, registration: old.registration, method: old.tokenEndpointAuthMethod, service: old.serviceScopes, disabled: old.disabledAt, jwks: old.jwks, metadata: old.clientMetadata },
        { tenantId: 1, secret: 'a'.repeat(64), limit: true, verified: true, grants: ['authorization_code'], registration: 'console', method: null, service: [], disabled: null, jwks: null, metadata: null },
      );
      assert.equal((await store.families.byId('fam-old'))?.appId, 1, 'the families of the rebuilt table still find their app');
      assert.deepEqual((await indexesOf(db, 'apps')).filter((name) => indexes.includes(name)), indexes.filter((name) => !/name_key|autoindex/.test(name)));

      const url = `https://client.example/${'metadata/'.repeat(30)}client.json`;
      const at = new Date(now);
      const base = { tenantId: null, clientSecretHash: null, name: 'Old app', description: '', redirectUris: ['http://127.0.0.1/cb'], limitToAccount: false };
      const cimd = await store.apps.create({ ...base, clientId: url, registration: 'metadata_document', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc' }] }, clientMetadata: { clientUri: 'https://client.example' } }, at);
      assert.equal((await store.apps.byClientId(url))?.id, cimd.id, 'a URL is a client id');
      assert.deepEqual([cimd.tenantId, cimd.clientSecretHash, cimd.registration, cimd.jwks?.keys.length, cimd.clientMetadata?.clientUri], [null, null, 'metadata_document', 1, 'https://client.example']);
      await store.apps.create({ ...base, clientId: 'fedcba9876543210fedc', registration: 'dynamic' }, at);
      assert.equal((await store.apps.byName('Old app'))?.id, old.id, 'by name finds the console app');
      await assert.rejects(store.apps.create({ ...base, tenantId: 1, clientSecretHash: 'b'.repeat(64), clientId: '11111111111111111111' }, at), 'console apps keep unique names');

      const changed = await store.apps.update(old.id, { serviceScopes: [{ resourceId: 1, scope: 'source' }], disabledAt: at, tokenEndpointAuthMethod: 'client_secret_basic', registrationTokenHash: 'c'.repeat(64) }, at);
      assert.deepEqual([changed?.serviceScopes, changed?.disabledAt?.getTime(), changed?.tokenEndpointAuthMethod, changed?.registrationTokenHash], [[{ resourceId: 1, scope: 'source' }], now, 'client_secret_basic', 'c'.repeat(64)]);
      await assert.rejects(store.apps.create({ ...base, tenantId: 999, clientId: '22222222222222222222', name: 'Ghost' }, at), 'the rebuilt table still refers to tenants');

      // Migration 023: an older family's sign-in was a password.
      await rawSql(db, 'update token_families set auth_time = $1, sid = $2 where id = $3', [now, 'old-sid', 'fam-old']);
      assert.deepEqual((await store.families.byId('fam-old'))?.session?.amr, ['pwd']);

      // Migration 019: an older app has no logout URIs and the public subject; the settings round-trip.
      assert.deepEqual([old.postLogoutRedirectUris, old.backchannelLogoutUri, old.subjectType], [[], null, 'public']);
      const oidc = await store.apps.update(old.id, { postLogoutRedirectUris: ['https://old.example/bye'], backchannelLogoutUri: 'https://old.example/bcl', subjectType: 'pairwise' }, at);
      assert.deepEqual([oidc?.postLogoutRedirectUris, oidc?.backchannelLogoutUri, oidc?.subjectType], [['https://old.example/bye'], 'https://old.example/bcl', 'pairwise']);
    } finally {
      await store.close();
    }
  });

  it('gives every tenant of an older database a default escalation policy, unless it has one', async () => {
    const db = await kind.database();
    const before = MIGRATIONS.findIndex((m) => m.name === '009-default-escalation-policies');
    await (await openAndMigrate({ ...db.options, migrations: MIGRATIONS.slice(0, before) })).store.close();
    const now = Date.now();
    for (const slug of ['bare', 'kept', 'also-bare']) await rawSql(db, 'insert into tenants (slug, name, created_at) values ($1, $2, $3)', [slug, slug, now]);
    await rawSql(db, "insert into escalation_policies (tenant_id, name) values (2, 'On call')", []);

    const upgraded = await openAndMigrate(db.options);
    const { store } = upgraded;
    try {
      assert.deepEqual(upgraded.applied, ALL.slice(before));
      const names = async (tenantId: number) => (await store.escalationPolicies.list(tenantId, 0, 50)).map((p) => p.name);
      assert.deepEqual(await names(1), ['Default']);
      assert.deepEqual(await names(2), ['On call'], 'a tenant that had a policy gets no second one');
      assert.deepEqual(await names(3), ['Default']);
      const created = await store.tenants.create({ slug: 'new', name: 'New' }, new Date());
      assert.deepEqual(await names(created.id), ['Default'], 'and a tenant created now has its default from the start');
    } finally {
      await store.close();
    }
  });
});

describe('opening a SQLite file', () => {
  it('creates the data directory when it does not exist yet', async () => {
    const db = await storeKind('sqlite').database();
    const { store, applied } = await openAndMigrate({ dataDir: join(db.options.dataDir, 'a', 'b') });
    assert.deepEqual(applied, ALL);
    await store.close();
  });
});
