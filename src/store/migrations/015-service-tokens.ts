// client_credentials (docs/services.md): an app's own token family is reused for every token it
// gets for one resource, so a family may mint tokens long after it was created, with no code or
// refresh token to keep it. `tokens_until` records the latest expiry of an access token minted
// from such a family; housekeeping keeps the family (and so its tokens' validity) until then.
// The partial index finds an app's live own family for a grant without scanning its users'.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, _context: MigrationContext): Promise<void> {
  await db.schema.alterTable('token_families').addColumn('tokens_until', 'bigint').execute();
  await db.schema
    .createIndex('token_families_live_own')
    .on('token_families')
    .column('app_id')
    .where(sql.ref('user_id'), 'is', null)
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();
}
