// Refresh-token rotation: a per-app policy, and on each refresh token when it was spent and for
// which successor (reuse detection and the retry window need both).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Apps registered before rotation existed keep what their clients were built against (the same
  // refresh token on every refresh); new apps get 'public' from the store.
  await db.schema.alterTable('apps').addColumn('refresh_rotation', 'varchar(10)', (c) => c.notNull().defaultTo('never')).execute();
  await db.schema.alterTable('refresh_tokens').addColumn('rotated_at', 'bigint').execute();
  await db.schema.alterTable('refresh_tokens').addColumn('successor_hash', 'varchar(64)').execute();
}
