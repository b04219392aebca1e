// Housekeeping: deletes expired codes, sessions, console flashes, refresh tokens and token families
// nothing can use any more, in bounded batches. Each statement is `DELETE … WHERE key IN (SELECT …
// LIMIT n)`, so several instances purging at once only ever delete rows the other has not deleted yet.
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { PurgeCounts, Store } from '../store.ts';
import { ms } from '../sql/rows.ts';

export const DEFAULT_PURGE_BATCH = 500;
const DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
const DEFAULT_BUDGET_MS = 5000;
/** A used code is kept this long past expiry, so a replay still revokes what the first use issued. */
const CODE_KEEP_SECONDS = 3600;

/**
 * Why deleting a family is safe: `families.isRevoked` treats a missing family as revoked, so its
 * access tokens die with it. Every access token is minted while the family has an unexpired code
 * (redemption) or refresh token (refresh), or at the family's creation. Codes and refresh tokens
 * are deleted only once expired for at least an access-token lifetime, and the foreign keys keep a
 * family while any of them remains; so when the last one is gone and the family is older than an
 * access-token lifetime, every access token it ever minted has expired. An app's own family, reused
 * by every client_credentials request, records when its last token expires (`tokens_until`).
 */
export function housekeepingStore(db: Kysely<Database>): Store['housekeeping'] {
  return {
    async purge(now, batchSize = DEFAULT_PURGE_BATCH, options = {}) {
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
      const lifetimeMs = (options.accessTokenLifetimeSeconds ?? DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS) * 1000;
      const deadline = performance.now() + (options.budgetMs ?? DEFAULT_BUDGET_MS);
      const at = ms(now);

      /** Runs one batch statement until a batch comes back short or the time budget is spent. */
      const drain = async (batch: () => Promise<bigint>): Promise<number> => {
        let total = 0;
        for (;;) {
          const deleted = Number(await batch());
          total += deleted;
          if (deleted < batchSize || performance.now() >= deadline) return total;
        }
      };

      const codeCutoff = at - Math.max(CODE_KEEP_SECONDS * 1000, lifetimeMs);
      const codes = await drain(async () => {
        const result = await db
          .deleteFrom('authorization_codes')
          .where('code_hash', 'in', (eb) =>
            eb.selectFrom('authorization_codes').select('code_hash').where('expires_at', '<', codeCutoff).limit(batchSize),
          )
          .executeTakeFirst();
        return result.numDeletedRows;
      });

      const sessions = await drain(async () => {
        const result = await db
          .deleteFrom('sessions')
          .where('id_hash', 'in', (eb) => eb.selectFrom('sessions').select('id_hash').where('expires_at', '<=', at).limit(batchSize))
          .executeTakeFirst();
        return result.numDeletedRows;
      });

      const flashes = await drain(async () => {
        const result = await db
          .deleteFrom('console_flashes')
          // A session holds a flash per page at most, so a batch of sessions bounds the batch of rows.
          .where('expires_at', '<=', at)
          .where('session_id_hash', 'in', (eb) => eb.selectFrom('console_flashes').select('session_id_hash').where('expires_at', '<=', at).limit(batchSize))
          .executeTakeFirst();
        return result.numDeletedRows;
      });

      const refreshTokens = await drain(async () => {
        const result = await db
          .deleteFrom('refresh_tokens')
          .where('token_hash', 'in', (eb) =>
            eb.selectFrom('refresh_tokens').select('token_hash').where('expires_at', '<', at - lifetimeMs).limit(batchSize),
          )
          .executeTakeFirst();
        return result.numDeletedRows;
      });

      const families = await drain(async () => {
        const result = await db
          .deleteFrom('token_families')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('token_families as f')
              .select('f.id')
              .where('f.created_at', '<', at - lifetimeMs)
              // An app's own family mints tokens long after its creation (client_credentials).
              .where((eb) => eb.or([eb('f.tokens_until', 'is', null), eb('f.tokens_until', '<', at)]))
              .where(({ not, exists, selectFrom }) =>
                not(exists(selectFrom('refresh_tokens as r').select(sql<number>`1`.as('one')).whereRef('r.family_id', '=', 'f.id'))),
              )
              .where(({ not, exists, selectFrom }) =>
                not(exists(selectFrom('authorization_codes as c').select(sql<number>`1`.as('one')).whereRef('c.family_id', '=', 'f.id'))),
              )
              // A device code approved but not yet purged still names its family.
              .where(({ not, exists, selectFrom }) =>
                not(exists(selectFrom('device_codes as d').select(sql<number>`1`.as('one')).whereRef('d.family_id', '=', 'f.id'))),
              )
              .limit(batchSize),
          )
          .executeTakeFirst();
        return result.numDeletedRows;
      });

      const counts: PurgeCounts = { codes, sessions, refreshTokens, families, flashes };
      return counts;
    },
  };
}
