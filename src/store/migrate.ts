// Applies the migrations the database has not seen yet. Safe to run from many processes at once:
// the whole run (read what is applied, apply the rest) holds one lock, so a second process waits
// and then finds nothing left to do.
import { type Kysely, sql } from 'kysely';
import { writeTransaction } from './sql/write-transaction.ts';
import { MIGRATIONS, type Migration, type MigrationContext } from './migrations/index.ts';

export interface MigrateResult {
  applied: string[];
}

export class SchemaTooNewError extends Error {}

/** The database has no Gatehouse schema (or, for SQLite, no file) and the caller may not create one. */
export class NoSchemaError extends Error {}

/** The key of PostgreSQL's advisory lock for migrations (any fixed 64-bit number; "gatehous"). */
const MIGRATION_LOCK_KEY = 0x6761746568_6f7573n;

/** Applies what `migrations` (by default every one this version has) holds that the database lacks. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres', migrations: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  const context: MigrationContext = {
    dialect,
    idColumn: (table) =>
      dialect === 'postgres'
        ? table.addColumn('id', 'serial', (c) => c.primaryKey())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
    binaryType: dialect === 'postgres' ? 'bytea' : 'blob',
  };

  // SQLite rebuilds a table to change a column's constraints (008), which its documented procedure
  // does with foreign keys off (a pragma that has no effect inside a transaction); the run checks
  // them before it commits instead, and they are on again afterwards.
  if (dialect === 'sqlite') await sql`pragma foreign_keys = off`.execute(db);
  try {
    return await migrateLocked(db, dialect, context, migrations);
  } finally {
    if (dialect === 'sqlite') await sql`pragma foreign_keys = on`.execute(db);
  }
}

/** Whether a migration was ever applied to the database: a database without one is empty, whatever else it holds. */
export async function hasSchema(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<boolean> {
  const table =
    dialect === 'postgres'
      ? await sql<{ found: string | null }>`select to_regclass('gatehouse_migrations')::text as found`.execute(db)
      : await sql<{ found: string | null }>`select name as found from sqlite_master where type = 'table' and name = 'gatehouse_migrations'`.execute(db);
  if (!table.rows[0]?.found) return false;
  const applied = await sql<{ n: number | string }>`select count(*) as n from gatehouse_migrations`.execute(db);
  return Number(applied.rows[0]?.n ?? 0) > 0;
}

async function migrateLocked(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres', context: MigrationContext, migrations: readonly Migration[]): Promise<MigrateResult> {
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
    const known = new Set(migrations.map((m) => m.name));
    const unknown = [...done].filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new SchemaTooNewError(
        `the database has migrations this version does not know (${unknown.join(', ')}); upgrade Gatehouse`,
      );
    }

    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      await migration.up(trx, context);
      await sql`insert into gatehouse_migrations (name, applied_at) values (${migration.name}, ${Date.now()})`.execute(trx);
      applied.push(migration.name);
    }
    if (dialect === 'sqlite' && applied.length > 0) {
      const broken = await sql<{ table: string }>`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length > 0) throw new Error(`migrating left rows whose foreign keys point nowhere (in ${[...new Set(broken.rows.map((r) => r.table))].join(', ')})`);
    }
    return { applied };
  });
}
