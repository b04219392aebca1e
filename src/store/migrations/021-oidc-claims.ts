// OpenID Connect (docs/oidc.md): a user's optional picture URL (the `picture` claim), and the
// individual claims an authorization request asked for with the `claims` parameter (Core §5.5),
// kept on its code and token family (JSON text) so UserInfo and every ID token of the grant,
// refreshes included, return them. Existing rows have neither.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, _context: MigrationContext): Promise<void> {
  await db.schema.alterTable('users').addColumn('picture', 'varchar(2048)').execute();
  await db.schema.alterTable('authorization_codes').addColumn('claims', 'text').execute();
  await db.schema.alterTable('token_families').addColumn('claims', 'text').execute();
}
