// How a user signed in (OpenID Connect's `amr`, RFC 8176 values): kept on the browser session and
// carried, like auth_time and sid (migration 018), onto the codes and token families it signs in,
// so ID tokens issued at the exchange and on every refresh say it. JSON arrays; null on rows from
// before, which were all password sign-ins.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, _context: MigrationContext): Promise<void> {
  for (const table of ['sessions', 'authorization_codes', 'token_families']) {
    await db.schema.alterTable(table).addColumn('amr', 'varchar(200)').execute();
  }
}
