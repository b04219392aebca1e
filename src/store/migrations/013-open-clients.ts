// Clients that are not registered in an account's console: services with their own keys, clients
// that register themselves (RFC 7591) and clients whose id is the URL of their metadata document.
// An app may then have no owner account and no secret (both columns become nullable), its client
// id may be a URL (widened), and it records how it came to be, how it authenticates, its keys,
// what client_credentials may ask, when it was disabled or last used, its RFC 7592 registration
// access token and its RFC 7591 descriptive metadata. Only console apps' names stay unique.
// PostgreSQL relaxes the constraints in place; SQLite rebuilds the table as migration 008 does.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table apps alter column tenant_id drop not null`.execute(db);
    await sql`alter table apps alter column client_secret_hash drop not null`.execute(db);
    await sql`alter table apps alter column client_id type varchar(2048)`.execute(db);
    await sql`alter table apps drop constraint apps_name_key`.execute(db);
  } else {
    await relaxSqliteApps(db);
  }
  await db.schema
    .alterTable('apps')
    .addColumn('registration', 'varchar(20)', (c) => c.notNull().defaultTo('console'))
    .execute();
  for (const [name, type] of [
    ['token_endpoint_auth_method', 'varchar(30)'],
    ['jwks', 'text'],
    ['jwks_uri', 'varchar(2048)'],
    ['service_scopes', 'text'],
    ['disabled_at', 'bigint'],
    ['last_used_at', 'bigint'],
    ['registration_token_hash', 'varchar(64)'],
    ['client_metadata', 'text'],
  ] as const) {
    await db.schema.alterTable('apps').addColumn(name, type).execute();
  }
  // Names stay unique among the apps of consoles (the CLI and console find apps by name); clients
  // that registered themselves or publish a document may share a name, which consent qualifies
  // with their host.
  await db.schema.createIndex('apps_console_name').on('apps').column('name').unique().where(sql.ref('registration'), '=', 'console').execute();
  // Housekeeping finds the self-registered clients nobody used for a while.
  await db.schema.createIndex('apps_registration_last_used').on('apps').columns(['registration', 'last_used_at']).execute();
}

async function relaxSqliteApps(db: Kysely<unknown>): Promise<void> {
  const table = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = 'apps'`.execute(db);
  const definition = table.rows[0]?.sql;
  const relaxed = definition
    ?.replace(/"tenant_id" integer not null/, '"tenant_id" integer')
    .replace(/"client_secret_hash" varchar\(64\) not null/, '"client_secret_hash" varchar(64)')
    .replace(/"client_id" varchar\(20\) not null/, '"client_id" varchar(2048) not null')
    .replace(/"name" varchar\(100\) not null unique/, '"name" varchar(100) not null');
  if (!definition || relaxed === undefined || !/"tenant_id" integer[ ,]/.test(relaxed) || /"tenant_id" integer not null/.test(relaxed) || /"client_secret_hash" varchar\(64\) not null/.test(relaxed) || /"name" varchar\(100\) not null unique/.test(relaxed)) {
    throw new Error('apps does not have the definition this migration expects');
  }
  const indexes = await sql<{ sql: string }>`select sql from sqlite_master where type = 'index' and tbl_name = 'apps' and sql is not null`.execute(db);
  await sql.raw(relaxed.replace(/^create table "apps"/i, 'create table "apps_rebuilt"')).execute(db);
  await sql`insert into apps_rebuilt select * from apps`.execute(db);
  await sql`drop table apps`.execute(db);
  await sql`alter table apps_rebuilt rename to apps`.execute(db);
  for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
}
