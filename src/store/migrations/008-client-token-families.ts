// A token family may belong to an app alone (client credentials: no user), so its user_id may be
// null. PostgreSQL drops the constraint in place; SQLite cannot, so the table is rebuilt as its
// documented procedure says (same definition but for the constraint, rows and indexes copied),
// with foreign keys checked at the end of the migration run (migrate.ts).
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table token_families alter column user_id drop not null`.execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'token_families'`.execute(db);
  const definition = table.rows[0]?.sql;
  const relaxed = definition?.replace(/"user_id" integer not null/, '"user_id" integer');
  if (!definition || relaxed === definition) throw new Error('token_families does not have the definition this migration expects');
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'token_families' and sql is not null`.execute(db);
  await sql.raw(relaxed!.replace(/^create table "token_families"/i, 'create table "token_families_rebuilt"')).execute(db);
  await sql`insert into token_families_rebuilt select * from token_families`.execute(db);
  await sql`drop table token_families`.execute(db);
  await sql`alter table token_families_rebuilt rename to token_families`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}
