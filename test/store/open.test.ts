// Choosing and sizing the database: DATABASE_URL must name PostgreSQL, DATABASE_POOL_SIZE is
// checked, and a PostgreSQL store never holds more connections than its pool size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { openStore } from '../../src/store/open.ts';
import { STORE_KINDS } from '../helpers/stores.ts';

const configError = (pattern: RegExp) => (error: unknown) => {
  assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
  assert.match(error.message, pattern);
  return true;
};

describe('database settings', () => {
  it('takes DATABASE_POOL_SIZE as a whole number from 1 to 1000, 10 by default', () => {
    assert.equal(loadConfig({}).databasePoolSize, 10);
    assert.equal(loadConfig({ DATABASE_POOL_SIZE: '25' }).databasePoolSize, 25);
    for (const bad of ['0', '-3', '2.5', 'many', '1001']) {
      assert.throws(() => loadConfig({ DATABASE_POOL_SIZE: bad }), configError(/^DATABASE_POOL_SIZE: must be a whole number of connections from 1 to 1000$/m), bad);
    }
  });

  it('accepts postgres:// and postgresql:// URLs and refuses other schemes instead of silently using SQLite', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgresql://db/gatehouse' }).databaseUrl, 'postgresql://db/gatehouse');
    for (const bad of ['mysql://db/gatehouse', 'postgress://db/x', '/var/lib/gatehouse.sqlite']) {
      assert.throws(() => loadConfig({ DATABASE_URL: bad }), configError(/^DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/m), bad);
    }
  });
});

const postgres = STORE_KINDS.find((k) => k.name === 'postgres');

describe('a PostgreSQL pool [postgres]', { skip: postgres ? false : 'PostgreSQL is not reachable (see above)' }, () => {
  it('opens at most poolSize connections however many queries run at once', async () => {
    const db = await postgres!.database();
    const url = new URL(db.options.databaseUrl!);
    url.searchParams.set('application_name', `gatehouse-pool-${process.pid}`);
    const store = await openStore({ ...db.options, databaseUrl: url.toString(), poolSize: 2 });
    const watcher = new pg.Client({ connectionString: db.options.databaseUrl });
    await watcher.connect();
    try {
      await Promise.all(Array.from({ length: 30 }, () => store.tenants.count()));
      const { rows } = await watcher.query<{ n: string }>('select count(*) as n from pg_stat_activity where application_name = $1', [`gatehouse-pool-${process.pid}`]);
      assert.equal(Number(rows[0]?.n), 2);
    } finally {
      await watcher.end();
      await store.close();
    }
  });
});
