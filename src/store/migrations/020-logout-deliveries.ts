// Back-channel logout (docs/oidc.md): the logout tokens still to be delivered, one row per app and
// ended session, with how often delivery was tried, when to try next and why the last try failed.
// A row goes when its token is delivered or given up on, and with its app or user.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, context: MigrationContext): Promise<void> {
  await context
    .idColumn(db.schema.createTable('logout_deliveries'))
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('sid', 'varchar(64)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'varchar(300)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('logout_deliveries_app_sid', ['app_id', 'sid'])
    .execute();
  await db.schema.createIndex('logout_deliveries_next_attempt_at').on('logout_deliveries').column('next_attempt_at').execute();
  // Ending a session finds the families it signed in (migration 018's sid).
  await db.schema.createIndex('token_families_sid').on('token_families').column('sid').execute();
}
