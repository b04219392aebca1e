// OpenID Connect (docs/oidc.md): a user's optional phone number for the `phone` scope's
// `phone_number` claim, kept in its E.164 form (`+4915112345678`). Existing users have none.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, _context: MigrationContext): Promise<void> {
  await db.schema.alterTable('users').addColumn('phone_number', 'varchar(32)').execute();
}
