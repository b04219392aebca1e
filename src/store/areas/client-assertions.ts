// Used client assertion ids (private_key_jwt): recorded with one INSERT that a unique key lets only
// the first use win, and pruned once the assertions they belong to have expired.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Store } from '../store.ts';
import { ms } from '../sql/rows.ts';

export function clientAssertionStore(db: Kysely<Database>): Store['clientAssertions'] {
  return {
    async use(clientId, jtiHash, expiresAt) {
      // RETURNING names the row only when this statement inserted it; a conflict returns nothing.
      const row = await db
        .insertInto('client_assertions')
        .values({ client_id: clientId, jti_hash: jtiHash, expires_at: ms(expiresAt) })
        .onConflict((oc) => oc.columns(['client_id', 'jti_hash']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },
    async prune(now, batchSize = 1000) {
      const result = await db
        .deleteFrom('client_assertions')
        .where('id', 'in', (eb) => eb.selectFrom('client_assertions').select('id').where('expires_at', '<=', ms(now)).limit(batchSize))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
