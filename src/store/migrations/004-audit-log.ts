// The audit log: who signed in (or failed to), who granted or revoked what, and which codes and
// refresh tokens were replayed. No foreign keys: an event outlives the app or user it names.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, { idColumn }: MigrationContext): Promise<void> {
  await idColumn(db.schema.createTable('audit_events'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('tenant_id', 'integer')
    .addColumn('user_id', 'integer')
    .addColumn('app_id', 'integer')
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(200)')
    .addColumn('detail', 'varchar(500)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_events_tenant_at').on('audit_events').columns(['tenant_id', 'at']).execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
}
