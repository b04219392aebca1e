// Resource servers as data (RFC 8707): the APIs tokens are issued for, each with its scopes and
// credentials. The built-in API becomes row 1, with today's scope table. What an authorization
// covers is recorded per resource: codes, families and grants gain `resource_scopes` (JSON; null on
// older rows, which covered the built-in API alone), and `token_family_resources` indexes families
// by resource for the revocation feed and for deleting a resource.
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

// The built-in API's scope families as they were when this migration was written (a migration
// never changes with the code around it).
const BUILT_IN_FAMILIES: [name: string, noun: string][] = [
  ['profile', 'your profile'],
  ['policy', 'Escalation policies'],
  ['schedule', 'Schedules and on-calls'],
  ['source', 'Alert sources'],
  ['support_hour', 'Support hours'],
  ['monitor', 'Uptime monitors'],
  ['action', 'Alert actions'],
  ['connector', 'Connectors'],
  ['maintenance', 'Maintenance windows'],
  ['report', 'Reports'],
  ['template', 'Incident templates'],
  ['service', 'Services'],
  ['status_page', 'Status pages'],
  ['team', 'Teams'],
  ['user', 'Users, their contacts and notification preferences'],
  ['alert', 'Alerts'],
  ['incident', 'Incidents'],
  ['metric', 'Metrics'],
  ['metric_source', 'Metric data sources'],
  ['wildcard', 'everything in your account'],
];

export async function up(db: Kysely<unknown>, context: MigrationContext): Promise<void> {
  await context
    .idColumn(db.schema.createTable('resource_servers'))
    .addColumn('identifier', 'varchar(2048)')
    .addColumn('built_in', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('description', 'varchar(2000)', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('access_token_lifetime', 'integer')
    .addColumn('client_id', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('client_secret_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  // One live resource per identifier; a deleted one's identifier may be registered again.
  await db.schema
    .createIndex('resource_servers_identifier')
    .on('resource_servers')
    .column('identifier')
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();

  // Its secret is random and shown to no one: `gatehouse resources rotate-secret` makes one to use.
  const now = Date.now();
  await sql`insert into resource_servers (id, identifier, built_in, name, description, scopes, access_token_lifetime, client_id, client_secret_hash, created_at, updated_at)
    values (1, null, 1, ${'Gatehouse API (ilert-compatible)'}, ${"The built-in API: ilert's users, alert sources and escalation policies."},
      ${JSON.stringify(BUILT_IN_FAMILIES.map(([name, noun]) => ({ kind: 'family', name, noun })))}, null,
      ${`rs_${randomBytes(10).toString('hex')}`}, ${createHash('sha256').update(randomBytes(32).toString('hex')).digest('hex')}, ${now}, ${now})`.execute(db);
  if (context.dialect === 'postgres') await sql`select setval(pg_get_serial_sequence('resource_servers', 'id'), 1)`.execute(db);

  await db.schema.alterTable('apps').addColumn('default_resource_id', 'integer', (c) => c.references('resource_servers.id')).execute();
  await db.schema.alterTable('authorization_codes').addColumn('resource_scopes', 'text').execute();
  await db.schema.alterTable('token_families').addColumn('resource_scopes', 'text').execute();
  await db.schema.alterTable('grants').addColumn('resource_scopes', 'text').execute();

  await db.schema
    .createTable('token_family_resources')
    .addColumn('family_id', 'varchar(64)', (c) => c.notNull().references('token_families.id').onDelete('cascade'))
    .addColumn('resource_id', 'integer', (c) => c.notNull().references('resource_servers.id'))
    .addPrimaryKeyConstraint('token_family_resources_pkey', ['family_id', 'resource_id'])
    .execute();
  await db.schema.createIndex('token_family_resources_resource').on('token_family_resources').columns(['resource_id', 'family_id']).execute();
  // Every family so far was for the built-in API.
  await sql`insert into token_family_resources (family_id, resource_id) select id, 1 from token_families`.execute(db);
}
