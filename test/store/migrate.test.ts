// Migrations: applied once, remembered across restarts, and a newer schema refuses to open.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { SchemaTooNewError } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { openAndMigrate, openStore } from '../../src/store/open.ts';

describe('migrations on a SQLite file', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-migrate-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('applies every migration on first open and nothing on the second; data survives', async () => {
    const first = await openAndMigrate({ dataDir });
    assert.deepEqual(first.applied, MIGRATIONS.map((m) => m.name));
    await first.store.tenants.create({ slug: 'acme', name: 'Acme' }, new Date());
    await first.store.close();

    const second = await openAndMigrate({ dataDir });
    try {
      assert.deepEqual(second.applied, []);
      assert.equal((await second.store.tenants.bySlug('acme'))?.name, 'Acme');
    } finally {
      await second.store.close();
    }
  });

  it('refuses a database migrated by a newer Gatehouse, naming the migration', async () => {
    const raw = new SqliteDatabase(join(dataDir, 'gatehouse.sqlite'));
    raw.prepare('insert into gatehouse_migrations (name, applied_at) values (?, ?)').run('999-from-the-future', Date.now());
    raw.close();

    await assert.rejects(openStore({ dataDir }), (error: unknown) => {
      assert.ok(error instanceof SchemaTooNewError, `expected SchemaTooNewError, got ${String(error)}`);
      assert.match(error.message, /999-from-the-future/);
      assert.match(error.message, /upgrade Gatehouse/);
      return true;
    });
    // The failed open left no lock behind: the file can be opened and repaired.
    const again = new SqliteDatabase(join(dataDir, 'gatehouse.sqlite'));
    again.prepare('delete from gatehouse_migrations where name = ?').run('999-from-the-future');
    again.close();
    const repaired = await openAndMigrate({ dataDir });
    assert.deepEqual(repaired.applied, []);
    await repaired.store.close();
  });

  it('creates the data directory when it does not exist yet', async () => {
    const nested = join(dataDir, 'a', 'b');
    const { store, applied } = await openAndMigrate({ dataDir: nested });
    assert.ok(applied.length > 0);
    await store.close();
  });
});
