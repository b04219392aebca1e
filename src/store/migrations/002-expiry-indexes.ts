// Indexes for housekeeping: the purges select by expiry and by family, in bounded batches.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('authorization_codes_expires_at').on('authorization_codes').column('expires_at').execute();
  await db.schema.createIndex('authorization_codes_family').on('authorization_codes').column('family_id').execute();
  await db.schema.createIndex('refresh_tokens_expires_at').on('refresh_tokens').column('expires_at').execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('token_families_created_at').on('token_families').column('created_at').execute();
}
