// Sessions of signed-in users.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Store } from '../types.ts';
import { ms, toDate } from './rows.ts';

export function sessionStore(db: Kysely<Database>): Store['sessions'] {
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
        })
        .execute();
    },
    async byIdHash(idHash, now) {
      const row = await db
        .selectFrom('sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .where('expires_at', '>', ms(now))
        .executeTakeFirst();
      return (
        row && {
          idHash: row.id_hash,
          tenantId: Number(row.tenant_id),
          userId: Number(row.user_id),
          createdAt: toDate(row.created_at),
          expiresAt: toDate(row.expires_at),
        }
      );
    },
    async delete(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },
    async deleteForUser(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },
  };
}
