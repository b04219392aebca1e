// The revocation feed's entries: written with each revocation, in its transaction, one per
// resource the family could mint tokens for; put in order (`seq`) afterwards by one serialized
// step, so the order is that of commits and a reader past `seq` N never misses an entry that
// commits later — it gets a higher `seq` when it does. See migration 012.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { RevocationEntry } from '../../domain/resource-server.ts';
import type { RevocationReason } from '../../domain/tokens.ts';
import type { Database, RevocationEntriesTable } from '../schema.ts';
import type { Store } from '../store.ts';
import { ms, toDate } from '../sql/rows.ts';
import { isPostgres, writeTransaction } from '../sql/write-transaction.ts';

/** The advisory lock that serializes sequencing on PostgreSQL (SQLite's writes are serial already). */
const SEQUENCER_LOCK = 7_150_012;

/** Records that these families ended, for every resource each could mint tokens for; call inside the revocation's transaction. */
export async function recordRevocations(trx: Kysely<Database>, familyIds: readonly string[], reason: RevocationReason, now: Date): Promise<void> {
  if (familyIds.length === 0) return;
  await trx
    .insertInto('revocation_entries')
    .columns(['resource_id', 'family_id', 'reason', 'revoked_at'])
    .expression(
      trx
        .selectFrom('token_family_resources')
        .select(['resource_id', 'family_id', sql.lit(reason).as('reason'), sql<number>`${ms(now)}`.as('revoked_at')])
        .where('family_id', 'in', [...familyIds]),
    )
    .execute();
}

const toEntry = (row: Selectable<RevocationEntriesTable>): RevocationEntry => ({
  seq: Number(row.seq),
  resourceId: Number(row.resource_id),
  familyId: row.family_id,
  reason: row.reason,
  revokedAt: toDate(row.revoked_at),
});

export function revocationFeedStore(db: Kysely<Database>): Store['revocationFeed'] {
  const latest = async (q: Kysely<Database>) => Number((await q.selectFrom('revocation_entries').select((eb) => eb.fn.max('seq').as('top')).executeTakeFirst())?.top ?? 0);
  const sequenced = () => db.selectFrom('revocation_entries').selectAll().where('seq', 'is not', null).orderBy('seq').limit(0);
  return {
    async sequence() {
      const pending = await db.selectFrom('revocation_entries').select('id').where('seq', 'is', null).limit(1).executeTakeFirst();
      if (!pending) return latest(db);
      return writeTransaction(db, async (trx) => {
        if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(${SEQUENCER_LOCK})`.execute(trx);
        await sql`with pending as (select id, row_number() over (order by id) as n from revocation_entries where seq is null),
            head as (select coalesce(max(seq), 0) as top from revocation_entries)
          update revocation_entries set seq = head.top + pending.n from pending, head where revocation_entries.id = pending.id`.execute(trx);
        return latest(trx);
      });
    },
    latest: () => latest(db),
    async after(resourceId, seq, limit) {
      const rows = await sequenced().clearLimit().where('resource_id', '=', resourceId).where('seq', '>', seq).limit(limit).execute();
      return rows.map(toEntry);
    },
    async since(resourceId, since, limit) {
      const rows = await sequenced().clearLimit().where('resource_id', '=', resourceId).where('revoked_at', '>=', ms(since)).limit(limit).execute();
      return rows.map(toEntry);
    },
    async prune(before, batchSize = 1000) {
      const result = await db
        .deleteFrom('revocation_entries')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('revocation_entries')
            .select('id')
            .where('revoked_at', '<', ms(before))
            // The newest entry stays, whatever its age: it holds the feed's head, so numbering never
            // starts again below a cursor a follower holds.
            .where('seq', '<', (sub) => sub.selectFrom('revocation_entries').select((f) => f.fn.max('seq').as('top')))
            .limit(batchSize),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
