// Device codes (RFC 8628): issued pending, decided once by a person (approve or deny), polled by
// the device, and redeemed once. Every step that reads then writes is one write transaction,
// so concurrent polls grow the interval coherently and concurrent redemptions have one winner.
import type { Kysely, Selectable } from 'kysely';
import type { DeviceCode, DeviceCodeStatus } from '../../domain/device-code.ts';
import type { Database, DeviceCodesTable } from '../schema.ts';
import type { DevicePollResult, RedeemDeviceCodeResult } from '../device-code-store.ts';
import type { Store } from '../store.ts';
import { flag, ms, toDate, toDateOrNull } from '../sql/rows.ts';
import { resourceScopesJson, toResourceScopes } from '../sql/resource-scopes.ts';
import { isPostgres, writeTransaction } from '../sql/write-transaction.ts';
import { familyResourceRows, familyRow } from './families.ts';
import { insertRefreshToken } from './refresh-tokens.ts';

const DEFAULT_BATCH = 500;

const toDeviceCode = (row: Selectable<DeviceCodesTable>): DeviceCode => ({
  deviceCodeHash: row.device_code_hash,
  userCodeHash: row.user_code_hash,
  appId: Number(row.app_id),
  scope: row.scope,
  resources: toResourceScopes(row.resource_scopes, row.scope),
  interval: Number(row.interval_seconds),
  lastPolledAt: toDateOrNull(row.last_polled_at),
  status: row.status as DeviceCodeStatus,
  userId: row.user_id === null ? null : Number(row.user_id),
  familyId: row.family_id,
  createdAt: toDate(row.created_at),
  expiresAt: toDate(row.expires_at),
});

export function deviceCodeStore(db: Kysely<Database>): Store['deviceCodes'] {
  /** Moves a pending, unexpired code to `status` for the user; the row as changed, or undefined. */
  const decide = (trx: Kysely<Database>, userCodeHash: string, status: DeviceCodeStatus, userId: number, familyId: string | null, now: Date) =>
    trx
      .updateTable('device_codes')
      .set({ status, user_id: userId, family_id: familyId })
      .where('user_code_hash', '=', userCodeHash)
      .where('status', '=', 'pending')
      .where('expires_at', '>', ms(now))
      .returningAll()
      .executeTakeFirst();

  return {
    async issue(code) {
      const result = await db
        .insertInto('device_codes')
        .values({
          device_code_hash: code.deviceCodeHash,
          user_code_hash: code.userCodeHash,
          app_id: code.appId,
          scope: code.scope,
          resource_scopes: resourceScopesJson(code.resources),
          interval_seconds: code.interval,
          last_polled_at: null,
          status: 'pending',
          user_id: null,
          family_id: null,
          created_at: ms(code.createdAt),
          expires_at: ms(code.expiresAt),
        })
        // A user code still held by another row (however unlikely, 20^8 codes) is a retry, not an error.
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },

    async byUserCode(userCodeHash) {
      const row = await db.selectFrom('device_codes').selectAll().where('user_code_hash', '=', userCodeHash).executeTakeFirst();
      return row && toDeviceCode(row);
    },

    async poll(deviceCodeHash, appId, now, slowDownSeconds) {
      return writeTransaction(db, async (trx): Promise<DevicePollResult> => {
        const row = await trx
          .selectFrom('device_codes')
          .selectAll()
          .where('device_code_hash', '=', deviceCodeHash)
          .$if(isPostgres(trx), (q) => q.forUpdate())
          .executeTakeFirst();
        if (!row) return { status: 'unknown' };
        // Another client's poll changes nothing: it must not slow the rightful device down.
        if (Number(row.app_id) !== appId) return { status: 'other_client' };
        const at = ms(now);
        const interval = Number(row.interval_seconds);
        const last = row.last_polled_at === null ? null : Number(row.last_polled_at);
        const tooSoon = row.status === 'pending' && last !== null && at - last < interval * 1000;
        const next = tooSoon ? interval + slowDownSeconds : interval;
        await trx.updateTable('device_codes').set({ last_polled_at: at, interval_seconds: next }).where('device_code_hash', '=', deviceCodeHash).execute();
        return { status: 'polled', code: toDeviceCode({ ...row, last_polled_at: at, interval_seconds: next }), tooSoon };
      });
    },

    async approve(userCodeHash, userId, family, now) {
      return writeTransaction(db, async (trx) => {
        const pending = await trx
          .selectFrom('device_codes')
          .select('device_code_hash')
          .where('user_code_hash', '=', userCodeHash)
          .where('status', '=', 'pending')
          .where('expires_at', '>', ms(now))
          .$if(isPostgres(trx), (q) => q.forUpdate())
          .executeTakeFirst();
        if (!pending) return undefined;
        // The family first: the code's row refers to it.
        await trx.insertInto('token_families').values(familyRow(family)).execute();
        await trx.insertInto('token_family_resources').values(familyResourceRows(family)).execute();
        const row = await decide(trx, userCodeHash, 'approved', userId, family.id, now);
        return row && toDeviceCode(row);
      });
    },

    async deny(userCodeHash, userId, now) {
      const row = await decide(db, userCodeHash, 'denied', userId, null, now);
      return row && toDeviceCode(row);
    },

    async redeem(deviceCodeHash, now, redemption) {
      return writeTransaction(db, async (trx): Promise<RedeemDeviceCodeResult> => {
        // One statement moves the code on; whoever gets the row back is the only winner.
        const row = await trx
          .updateTable('device_codes')
          .set({ status: 'redeemed' })
          .where('device_code_hash', '=', deviceCodeHash)
          .where('status', '=', 'approved')
          .where('expires_at', '>', ms(now))
          .returningAll()
          .executeTakeFirst();
        if (!row || row.family_id === null) return { status: 'refused' };
        const family = await trx
          .selectFrom('token_families')
          .select('revoked_at')
          .where('id', '=', row.family_id)
          .$if(isPostgres(trx), (q) => q.forShare())
          .executeTakeFirst();
        if (!family || family.revoked_at !== null) return { status: 'revoked' };
        await trx.updateTable('token_families').set({ confidential: flag(redemption.confidential) }).where('id', '=', row.family_id).execute();
        if (redemption.refreshToken && !(await insertRefreshToken(trx, redemption.refreshToken, redemption.maxLivePerAppUser, now))) return { status: 'revoked' };
        return { status: 'redeemed', code: toDeviceCode(row) };
      });
    },

    async purge(before, batchSize = DEFAULT_BATCH) {
      const result = await db
        .deleteFrom('device_codes')
        .where('device_code_hash', 'in', (eb) => eb.selectFrom('device_codes').select('device_code_hash').where('expires_at', '<', ms(before)).limit(batchSize))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
