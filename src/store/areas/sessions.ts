// Sessions of signed-in users.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Store } from '../store.ts';
import { precompiled } from '../sql/precompiled.ts';
import { ms, toDate } from '../sql/rows.ts';
import { toAmr } from '../sql/sign-in-session.ts';

export function sessionStore(db: Kysely<Database>): Store['sessions'] {
  // Every page of a signed-in user (authorize, consent, console) resolves its session.
  const byIdHashQuery = precompiled(db, (idHash: string) => db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash), '');
  return {
    async create(session) {
      await db
        .insertInto('sessions')
        .values({
          id_hash: session.idHash,
          tenant_id: session.tenantId,
          user_id: session.userId,
          created_at: ms(session.createdAt),
          expires_at: ms(session.expiresAt),
          amr: session.amr ? JSON.stringify(session.amr) : null,
        })
        .execute();
    },
    async byIdHash(idHash, now) {
      const row = await byIdHashQuery(idHash);
      if (!row || Number(row.expires_at) <= now.getTime()) return undefined;
      return {
        idHash: row.id_hash,
        tenantId: Number(row.tenant_id),
        userId: Number(row.user_id),
        createdAt: toDate(row.created_at),
        expiresAt: toDate(row.expires_at),
        amr: toAmr(row.amr),
      };
    },
    async delete(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },
    async deleteForUser(userId) {
      const rows = await db.deleteFrom('sessions').where('user_id', '=', userId).returning('id_hash').execute();
      return rows.map((row) => row.id_hash);
    },
  };
}
