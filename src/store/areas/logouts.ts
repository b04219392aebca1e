// Back-channel logout's store (logout-contract.ts): the families an ended session signed in, and
// the queue of logout tokens. Which families count is decided by their scope's words, in SQL, so
// that queueing and revoking are each one statement or one transaction.
import { sql, type Expression, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Database, LogoutDeliveriesTable } from '../schema.ts';
import type { LogoutDelivery, Logouts } from '../logout-contract.ts';
import type { RevokedFamilies } from '../sql/revoked-families.ts';
import { ms, toDate } from '../sql/rows.ts';
import { isPostgres } from '../sql/write-transaction.ts';
import { revokeFamilyRows } from './families.ts';

/** Whether a family's space-separated scope holds the word, exactly (LIKE would be case-blind on SQLite, and `_` a wildcard). */
const scopeHas = (db: Kysely<Database>, word: 'openid' | 'offline_access'): Expression<SqlBool> => {
  const padded = sql`(' ' || token_families.scope || ' ')`;
  const needle = ` ${word} `;
  return isPostgres(db) ? sql<SqlBool>`strpos(${padded}, ${needle}) > 0` : sql<SqlBool>`instr(${padded}, ${needle}) > 0`;
};

const toDelivery = (row: Selectable<LogoutDeliveriesTable>): LogoutDelivery => ({
  id: Number(row.id),
  appId: Number(row.app_id),
  userId: Number(row.user_id),
  sid: row.sid,
  attempts: Number(row.attempts),
  nextAttemptAt: toDate(row.next_attempt_at),
  lastError: row.last_error,
  createdAt: toDate(row.created_at),
});

export function logoutStore(db: Kysely<Database>, revoked: RevokedFamilies): Logouts {
  return {
    async enqueueForSession(sid, now) {
      const at = sql<number>`cast(${ms(now)} as bigint)`;
      const result = await db
        .insertInto('logout_deliveries')
        .columns(['app_id', 'user_id', 'sid', 'next_attempt_at', 'created_at'])
        .expression(
          db
            .selectFrom('token_families')
            .innerJoin('apps', 'apps.id', 'token_families.app_id')
            .select(['token_families.app_id', 'token_families.user_id', 'token_families.sid'])
            .select([at.as('next_attempt_at'), at.as('created_at')])
            .distinct()
            .where('token_families.sid', '=', sid)
            .where('token_families.user_id', 'is not', null)
            .where('apps.backchannel_logout_uri', 'is not', null)
            .where(scopeHas(db, 'openid')),
        )
        .onConflict((oc) => oc.columns(['app_id', 'sid']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0);
    },

    async revokeSessionFamilies(sid, now) {
      const ids = await db.transaction().execute(async (trx) => {
        const live = await trx
          .selectFrom('token_families')
          .select('id')
          .where('sid', '=', sid)
          .where('revoked_at', 'is', null)
          .where(scopeHas(db, 'openid'))
          .where((eb) => eb.not(scopeHas(db, 'offline_access')))
          .execute();
        for (const { id } of live) await revokeFamilyRows(trx, id, 'signed_out', now);
        return live.map((row) => row.id);
      });
      revoked.add(ids);
      return ids;
    },

    async claimDue(now, leaseUntil, limit) {
      // Every instance asks every few seconds, and mostly nothing is due: a read, then (only when
      // something is) the one statement that claims; on SQLite no write lock is taken for nothing.
      const any = await db.selectFrom('logout_deliveries').select('id').where('next_attempt_at', '<=', ms(now)).limit(1).executeTakeFirst();
      if (!any) return [];
      const due = db
        .selectFrom('logout_deliveries')
        .select('id')
        .where('next_attempt_at', '<=', ms(now))
        .orderBy('next_attempt_at')
        .limit(limit)
        // PostgreSQL: rows another claim holds are skipped rather than waited for.
        .$if(isPostgres(db), (q) => q.forUpdate().skipLocked());
      // The outer condition is checked again on each row as it is updated, so a row another claim
      // took meanwhile (no longer due) is left out: of concurrent claims, one gets each row.
      const rows = await db
        .updateTable('logout_deliveries')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: ms(leaseUntil) }))
        .where('id', 'in', due)
        .where('next_attempt_at', '<=', ms(now))
        .returningAll()
        .execute();
      return rows.map(toDelivery).sort((a, b) => a.id - b.id);
    },

    async retryLater(id, error, nextAttemptAt) {
      await db.updateTable('logout_deliveries').set({ last_error: error.slice(0, 300), next_attempt_at: ms(nextAttemptAt) }).where('id', '=', id).execute();
    },

    async remove(id) {
      await db.deleteFrom('logout_deliveries').where('id', '=', id).execute();
    },

    async pending() {
      const rows = await db.selectFrom('logout_deliveries').selectAll().orderBy('id').execute();
      return rows.map(toDelivery);
    },
  };
}
