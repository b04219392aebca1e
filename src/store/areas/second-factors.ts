// TOTP factors, recovery codes and pending sign-ins. The replay guard and the single use of a
// recovery code or a pending sign-in are each one conditional statement, so two racing requests
// cannot both succeed.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { PendingSignIns, SecondFactors } from '../second-factor-contract.ts';
import { ms, toDate, toDateOrNull } from '../sql/rows.ts';
import type { PendingSignIn } from '../../domain/second-factor.ts';

export function secondFactorStore(db: Kysely<Database>): SecondFactors {
  return {
    async totp(userId) {
      const row = await db.selectFrom('totp_factors').selectAll().where('user_id', '=', userId).executeTakeFirst();
      if (!row) return undefined;
      return {
        userId: Number(row.user_id),
        secretSealed: row.secret_sealed,
        pendingSealed: row.pending_sealed,
        confirmedAt: toDateOrNull(row.confirmed_at),
        lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
      };
    },
    async startTotp(userId, pendingSealed) {
      await db
        .insertInto('totp_factors')
        .values({ user_id: userId, pending_sealed: pendingSealed, secret_sealed: null, confirmed_at: null, last_used_step: null })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ pending_sealed: pendingSealed }))
        .execute();
    },
    async confirmTotp(userId, pendingSealed, step, now) {
      const result = await db
        .updateTable('totp_factors')
        .set({ secret_sealed: pendingSealed, pending_sealed: null, confirmed_at: ms(now), last_used_step: step })
        .where('user_id', '=', userId)
        .where('pending_sealed', '=', pendingSealed)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async useTotpStep(userId, step) {
      const result = await db
        .updateTable('totp_factors')
        .set({ last_used_step: step })
        .where('user_id', '=', userId)
        .where('secret_sealed', 'is not', null)
        .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async removeTotp(userId) {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
        const result = await trx.deleteFrom('totp_factors').where('user_id', '=', userId).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },
    async replaceRecoveryCodes(userId, codeHashes, now) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
        if (codeHashes.length === 0) return;
        await trx
          .insertInto('recovery_codes')
          .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: ms(now), used_at: null })))
          .execute();
      });
    },
    async useRecoveryCode(userId, codeHash, now) {
      const result = await db
        .updateTable('recovery_codes')
        .set({ used_at: ms(now) })
        .where('user_id', '=', userId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async recoveryCodesLeft(userId) {
      const row = await db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}

type PendingRow = { id_hash: string; tenant_id: number; user_id: number; return_to: string; expires_at: number | string; attempts: number };

const toPending = (row: PendingRow): PendingSignIn => ({
  idHash: row.id_hash,
  tenantId: Number(row.tenant_id),
  userId: Number(row.user_id),
  returnTo: row.return_to,
  expiresAt: toDate(row.expires_at),
  attempts: Number(row.attempts),
});

export function pendingSignInStore(db: Kysely<Database>): PendingSignIns {
  return {
    async create(pending, now) {
      await db.deleteFrom('pending_sign_ins').where('expires_at', '<=', ms(now)).execute();
      await db
        .insertInto('pending_sign_ins')
        .values({ id_hash: pending.idHash, tenant_id: pending.tenantId, user_id: pending.userId, return_to: pending.returnTo, expires_at: ms(pending.expiresAt), attempts: 0 })
        .execute();
    },
    async byIdHash(idHash, now) {
      const row = await db.selectFrom('pending_sign_ins').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', ms(now)).executeTakeFirst();
      return row ? toPending(row) : undefined;
    },
    async countFailure(idHash, now) {
      const row = await db
        .updateTable('pending_sign_ins')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id_hash', '=', idHash)
        .where('expires_at', '>', ms(now))
        .returning('attempts')
        .executeTakeFirst();
      return row ? Number(row.attempts) : undefined;
    },
    async take(idHash, now) {
      const row = await db.deleteFrom('pending_sign_ins').where('id_hash', '=', idHash).returningAll().executeTakeFirst();
      return row && Number(row.expires_at) > ms(now) ? toPending(row) : undefined;
    },
    async delete(idHash) {
      await db.deleteFrom('pending_sign_ins').where('id_hash', '=', idHash).execute();
    },
  };
}
