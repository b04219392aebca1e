// OpenID Connect (docs/oidc.md): a code remembers the request's nonce, and a code and its token
// family when and in which browser session the user signed in, so that the ID tokens of the code
// exchange and of every later refresh carry auth_time and sid.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, _context: MigrationContext): Promise<void> {
  await db.schema.alterTable('authorization_codes').addColumn('nonce', 'varchar(512)').execute();
  await db.schema.alterTable('authorization_codes').addColumn('auth_time', 'bigint').execute();
  await db.schema.alterTable('authorization_codes').addColumn('sid', 'varchar(64)').execute();
  await db.schema.alterTable('token_families').addColumn('auth_time', 'bigint').execute();
  await db.schema.alterTable('token_families').addColumn('sid', 'varchar(64)').execute();
}
