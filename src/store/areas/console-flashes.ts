// Console flashes: one per session and page, replaced by a newer one, taken (deleted and returned)
// in one statement, so of two workers serving the same page only one ever shows it.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Store } from '../store.ts';
import { ms } from '../sql/rows.ts';

export function consoleFlashStore(db: Kysely<Database>): Store['consoleFlashes'] {
  return {
    async put(flash) {
      const values = { session_id_hash: flash.sessionIdHash, path: flash.path, sealed: flash.sealed, expires_at: ms(flash.expiresAt) };
      await db
        .insertInto('console_flashes')
        .values(values)
        .onConflict((oc) => oc.columns(['session_id_hash', 'path']).doUpdateSet({ sealed: values.sealed, expires_at: values.expires_at }))
        .execute();
    },
    async take(sessionIdHash, path, now) {
      const row = await db
        .deleteFrom('console_flashes')
        .where('session_id_hash', '=', sessionIdHash)
        .where('path', '=', path)
        .returning(['sealed', 'expires_at'])
        .executeTakeFirst();
      return row && Number(row.expires_at) > now.getTime() ? row.sealed : undefined;
    },
  };
}
