// Passkeys and WebAuthn challenges (passkeys-contract.ts). A use is recorded only when the
// counter goes up, in the one UPDATE, and a challenge is taken by the DELETE that returns it.
import { type Kysely, type Selectable } from 'kysely';
import type { Passkey, PasskeyDeviceType, WebAuthnPurpose } from '../../domain/passkey.ts';
import type { Database, PasskeysTable } from '../schema.ts';
import type { Passkeys, WebAuthnChallenges } from '../passkeys-contract.ts';
import { flag, isSet, ms, toDate, toDateOrNull } from '../sql/rows.ts';

const toPasskey = (row: Selectable<PasskeysTable>): Passkey => ({
  id: Number(row.id),
  userId: Number(row.user_id),
  credentialId: row.credential_id,
  publicKey: Buffer.from(row.public_key),
  signCount: Number(row.sign_count),
  transports: JSON.parse(row.transports) as string[],
  name: row.name,
  aaguid: row.aaguid,
  backedUp: isSet(row.backed_up),
  deviceType: row.device_type as PasskeyDeviceType,
  createdAt: toDate(row.created_at),
  lastUsedAt: toDateOrNull(row.last_used_at),
});

export function passkeyStore(db: Kysely<Database>): Passkeys {
  return {
    async add(p) {
      const row = await db
        .insertInto('passkeys')
        .values({
          user_id: p.userId,
          credential_id: p.credentialId,
          public_key: p.publicKey,
          sign_count: p.signCount,
          transports: JSON.stringify(p.transports),
          name: p.name,
          aaguid: p.aaguid,
          backed_up: flag(p.backedUp),
          device_type: p.deviceType,
          created_at: ms(p.createdAt),
        })
        .onConflict((oc) => oc.column('credential_id').doNothing())
        .returningAll()
        .executeTakeFirst();
      return row && toPasskey(row);
    },
    async listForUser(userId) {
      const rows = await db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
      return rows.map(toPasskey);
    },
    async byCredentialId(credentialId) {
      const row = await db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
      return row && toPasskey(row);
    },
    async rename(userId, id, name) {
      const result = await db.updateTable('passkeys').set({ name }).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async remove(userId, id) {
      const row = await db.deleteFrom('passkeys').where('id', '=', id).where('user_id', '=', userId).returningAll().executeTakeFirst();
      return row && toPasskey(row);
    },
    async recordUse(id, signCount, backedUp, now) {
      const result = await db
        .updateTable('passkeys')
        .set({ sign_count: signCount, backed_up: flag(backedUp), last_used_at: ms(now) })
        .where('id', '=', id)
        // A counter of 0 both before and after: an authenticator that keeps none (WebAuthn §6.1.1).
        .where('sign_count', signCount === 0 ? '=' : '<', signCount)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export function webauthnChallengeStore(db: Kysely<Database>): WebAuthnChallenges {
  return {
    async put(c) {
      const values = { binding: c.binding, purpose: c.purpose, challenge: c.challenge, user_id: c.userId, expires_at: ms(c.expiresAt) };
      await db
        .insertInto('webauthn_challenges')
        .values(values)
        .onConflict((oc) => oc.columns(['binding', 'purpose']).doUpdateSet({ challenge: values.challenge, user_id: values.user_id, expires_at: values.expires_at }))
        .execute();
    },
    async take(binding, purpose, now) {
      const row = await db.deleteFrom('webauthn_challenges').where('binding', '=', binding).where('purpose', '=', purpose).returningAll().executeTakeFirst();
      if (!row || Number(row.expires_at) <= now.getTime()) return undefined;
      return { binding: row.binding, purpose: row.purpose as WebAuthnPurpose, challenge: row.challenge, userId: row.user_id === null ? null : Number(row.user_id), expiresAt: toDate(row.expires_at) };
    },
    async prune(now, batchSize = 1000) {
      const expired = db.selectFrom('webauthn_challenges').select(['binding']).where('expires_at', '<=', ms(now)).limit(batchSize);
      const result = await db.deleteFrom('webauthn_challenges').where('binding', 'in', expired).where('expires_at', '<=', ms(now)).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
