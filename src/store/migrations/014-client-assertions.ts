// private_key_jwt (RFC 7523 §3): each client assertion's `jti` is accepted once. A row per
// (client, jti hash) until the assertion expires; the unique key makes the second use lose, in
// one statement, whichever instance sees it.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, context: MigrationContext): Promise<void> {
  await context
    .idColumn(db.schema.createTable('client_assertions'))
    // Client ids may be URLs (client ID metadata documents), hence the width.
    .addColumn('client_id', 'varchar(2048)', (c) => c.notNull())
    .addColumn('jti_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_assertions_client_jti').on('client_assertions').columns(['client_id', 'jti_hash']).unique().execute();
  await db.schema.createIndex('client_assertions_expires_at').on('client_assertions').column('expires_at').execute();
}
