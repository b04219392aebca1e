// Applies the migrations the database has not seen yet. Safe to run from many processes at once:
// the whole run (read what is applied, apply the rest) holds one lock, so a second process waits
// and then finds nothing left to do.
import { type Kysely, sql } from 'kysely';
import { writeTransaction } from './sql/write-transaction.ts';
import { MIGRATIONS, type MigrationContext } from './migrations/index.ts';

export interface MigrateResult {
  applied: string[];
}

export class SchemaTooNewError extends Error {}

/** The key of PostgreSQL's advisory lock for migrations (any fixed 64-bit number; "gatehous"). */
const MIGRATION_LOCK_KEY = 0x6761746568_6f7573n;

export async function migrateToLatest(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<MigrateResult> {
  const context: MigrationContext = {
    idColumn: (table) =>
      dialect === 'postgres'
        ? table.addColumn('id', 'serial', (c) => c.primaryKey())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
    binaryType: dialect === 'postgres' ? 'bytea' : 'blob',
  };

  // PostgreSQL: a transaction-scoped advisory lock, released by commit or rollback (or when the
  // connection dies), so a crashed run never leaves it held. SQLite: BEGIN IMMEDIATE takes the
  // file's write lock. Both dialects run DDL inside transactions, so a failed run leaves nothing.
  return writeTransaction(db, async (trx) => {
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`.execute(trx);
    await trx.schema
      .createTable('gatehouse_migrations')
      .ifNotExists()
      .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();

    const rows = await sql<{ name: string }>`select name from gatehouse_migrations`.execute(trx);
    const done = new Set(rows.rows.map((r) => r.name));
    const known = new Set(MIGRATIONS.map((m) => m.name));
    const unknown = [...done].filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new SchemaTooNewError(
        `the database has migrations this version does not know (${unknown.join(', ')}); upgrade Gatehouse`,
      );
    }

    const applied: string[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.name)) continue;
      await migration.up(trx, context);
      await sql`insert into gatehouse_migrations (name, applied_at) values (${migration.name}, ${Date.now()})`.execute(trx);
      applied.push(migration.name);
    }
    return { applied };
  });
}
