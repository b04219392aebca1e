// Device codes (RFC 8628): one row per device authorization request, found by the hash of its
// device code (the device polls) or of its normalized user code (the person on /device). The
// token family is made at approval, so the connections page can revoke it like any grant.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('device_codes')
    .addColumn('device_code_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_code_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('resource_scopes', 'text', (c) => c.notNull())
    .addColumn('interval_seconds', 'integer', (c) => c.notNull())
    .addColumn('last_polled_at', 'bigint')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('family_id', 'varchar(64)', (c) => c.references('token_families.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('device_codes_expires_at').on('device_codes').column('expires_at').execute();
  await db.schema.createIndex('device_codes_app_id').on('device_codes').column('app_id').execute();
}
