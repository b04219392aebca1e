// Consents: one row per user and app, with the scopes granted so far.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Store } from '../types.ts';
import { ms, toDate } from './rows.ts';

export function grantStore(db: Kysely<Database>): Store['grants'] {
  return {
    async upsert(grant, now, mergeScopes) {
      await db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('grants')
          .select('scope')
          .where('user_id', '=', grant.userId)
          .where('app_id', '=', grant.appId)
          .executeTakeFirst();
        const scope = existing ? mergeScopes(existing.scope, grant.scope) : grant.scope;
        await trx
          .insertInto('grants')
          .values({
            user_id: grant.userId,
            app_id: grant.appId,
            scope,
            client_description: grant.clientDescription,
            connected_at: ms(now),
            last_activity_at: ms(now),
          })
          .onConflict((oc) =>
            oc.columns(['user_id', 'app_id']).doUpdateSet({
              scope,
              client_description: grant.clientDescription,
              last_activity_at: ms(now),
            }),
          )
          .execute();
      });
    },
    async find(userId, appId) {
      const row = await db
        .selectFrom('grants')
        .selectAll()
        .where('user_id', '=', userId)
        .where('app_id', '=', appId)
        .executeTakeFirst();
      return (
        row && {
          userId: Number(row.user_id),
          appId: Number(row.app_id),
          scope: row.scope,
          clientDescription: row.client_description,
          connectedAt: toDate(row.connected_at),
          lastActivityAt: toDate(row.last_activity_at),
        }
      );
    },
    async touch(userId, appId, now) {
      await db
        .updateTable('grants')
        .set({ last_activity_at: ms(now) })
        .where('user_id', '=', userId)
        .where('app_id', '=', appId)
        .execute();
    },
  };
}
