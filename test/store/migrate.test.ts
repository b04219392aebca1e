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
});

describe('opening a SQLite file', () => {
  it('creates the data directory when it does not exist yet', async () => {
    const db = await storeKind('sqlite').database();
    const { store, applied } = await openAndMigrate({ dataDir: join(db.options.dataDir, 'a', 'b') });
    assert.deepEqual(applied, ALL);
    await store.close();
  });
});
