// Applies the migrations the database has not seen yet, each in its own transaction.
import { type Kysely, sql } from 'kysely';
import { MIGRATIONS, type MigrationContext } from './migrations/index.ts';

export interface MigrateResult {
  applied: string[];
}

export class SchemaTooNewError extends Error {}

export async function migrateToLatest(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<MigrateResult> {
  await db.schema
    .createTable('gatehouse_migrations')
    .ifNotExists()
    .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute();

  const context: MigrationContext = {
    idColumn: (table) =>
      dialect === 'postgres'
        ? table.addColumn('id', 'serial', (c) => c.primaryKey())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
  };

  const rows = await sql<{ name: string }>`select name from gatehouse_migrations`.execute(db);
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
    await db.transaction().execute(async (trx) => {
      await migration.up(trx, context);
      await sql`insert into gatehouse_migrations (name, applied_at) values (${migration.name}, ${Date.now()})`.execute(trx);
    });
    applied.push(migration.name);
  }
  return { applied };
}
