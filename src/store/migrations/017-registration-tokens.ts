// Initial access tokens for dynamic client registration (RFC 7591 §3, docs/registration.md): with
// GATEHOUSE_REGISTRATION=token a client registers only with one of these. Stored as SHA-256 hashes,
// each with a label, an optional expiry and use limit, how often it was used, and its revocation.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, context: MigrationContext): Promise<void> {
  await context
    .idColumn(db.schema.createTable('registration_tokens'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('label', 'varchar(200)', (c) => c.notNull())
    .addColumn('max_uses', 'integer')
    .addColumn('use_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
}
