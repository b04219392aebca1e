// Console flashes: what a console action leaves for the page it redirects to (a notice, and a new
// client secret right after it was made), read once. Keyed by the session, so any worker process
// serves the page; the session's deletion takes its flashes with it.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_flashes')
    .addColumn('session_id_hash', 'varchar(64)', (c) => c.notNull().references('sessions.id_hash').onDelete('cascade'))
    .addColumn('path', 'varchar(200)', (c) => c.notNull())
    .addColumn('sealed', 'varchar(4000)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('console_flashes_pkey', ['session_id_hash', 'path'])
    .execute();
  await db.schema.createIndex('console_flashes_expires_at').on('console_flashes').column('expires_at').execute();
}
