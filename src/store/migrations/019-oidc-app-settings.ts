// OpenID Connect's per-app settings (docs/oidc.md): where RP-initiated logout may send the browser
// back to (`post_logout_redirect_uris`, a JSON array), where back-channel logout tokens go
// (`backchannel_logout_uri`), and whether the app's `sub` is the user's public id or a pairwise one
// (`subject_type`). Every existing app keeps what it had: no logout URIs, the public subject.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, _context: MigrationContext): Promise<void> {
  await db.schema.alterTable('apps').addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('apps').addColumn('backchannel_logout_uri', 'varchar(2048)').execute();
  await db.schema.alterTable('apps').addColumn('subject_type', 'varchar(10)', (c) => c.notNull().defaultTo('public')).execute();
}
