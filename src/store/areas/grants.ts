// Consents: one row per user and app, with the scopes granted so far.
import type { Kysely, Selectable } from 'kysely';
import type { Database, GrantsTable } from '../schema.ts';
import type { Grant } from '../../domain/grant.ts';
import type { Store } from '../store.ts';
import { isSet, ms, toDate, toDateOrNull } from '../sql/rows.ts';
import { isPostgres, writeTransaction } from '../sql/write-transaction.ts';
import { resourceScopesJson, toResourceScopes } from '../sql/resource-scopes.ts';

const toGrant = (row: Selectable<GrantsTable>): Grant => ({
  userId: Number(row.user_id),
  appId: Number(row.app_id),
  scope: row.scope,
  resources: toResourceScopes(row.resource_scopes, row.scope),
  clientDescription: row.client_description,
  connectedAt: toDate(row.connected_at),
  lastActivityAt: toDate(row.last_activity_at),
});

export function grantStore(db: Kysely<Database>): Store['grants'] {
  return {
    async upsert(grant, now, mergeScopes) {
      // Concurrent consents (two tabs, two instances) must end as one row holding every scope
      // granted: create the row if it is missing, then read it locked, merge, and write it back.
      await writeTransaction(db, async (trx) => {
        const inserted = await trx
          .insertInto('grants')
          .values({
            user_id: grant.userId,
            app_id: grant.appId,
            scope: grant.scope,
            resource_scopes: resourceScopesJson(grant.resources ?? toResourceScopes(null, grant.scope)),
            client_description: grant.clientDescription,
            connected_at: ms(now),
            last_activity_at: ms(now),
          })
          .onConflict((oc) => oc.columns(['user_id', 'app_id']).doNothing())
          .returning('user_id')
          .executeTakeFirst();
        if (inserted) return;
        const stored = await trx
          .selectFrom('grants')
          .select(['scope', 'resource_scopes'])
          .where('user_id', '=', grant.userId)
          .where('app_id', '=', grant.appId)
          .$if(isPostgres(trx), (q) => q.forUpdate())
          .executeTakeFirstOrThrow();
        const merged = mergeScopes(
          { scope: stored.scope, resources: toResourceScopes(stored.resource_scopes, stored.scope) },
          { scope: grant.scope, resources: grant.resources ?? toResourceScopes(null, grant.scope) },
        );
        await trx
          .updateTable('grants')
          .set({
            scope: merged.scope,
            resource_scopes: resourceScopesJson(merged.resources),
            client_description: grant.clientDescription,
            last_activity_at: ms(now),
          })
          .where('user_id', '=', grant.userId)
          .where('app_id', '=', grant.appId)
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
      return row && toGrant(row);
    },
    async touch(userId, appId, now) {
      await db
        .updateTable('grants')
        .set({ last_activity_at: ms(now) })
        .where('user_id', '=', userId)
        .where('app_id', '=', appId)
        .execute();
    },
    async listForUser(userId) {
      const rows = await db
        .selectFrom('grants')
        .innerJoin('apps', 'apps.id', 'grants.app_id')
        .select([
          'grants.user_id',
          'grants.app_id',
          'grants.scope',
          'grants.resource_scopes',
          'grants.client_description',
          'grants.connected_at',
          'grants.last_activity_at',
          'apps.name',
          'apps.client_id',
          'apps.description',
          'apps.verified',
          'apps.icon_updated_at',
        ])
        .where('grants.user_id', '=', userId)
        .orderBy('grants.last_activity_at', 'desc')
        .orderBy('apps.name')
        .execute();
      return rows.map((row) => ({
        ...toGrant(row),
        appName: row.name,
        appClientId: row.client_id,
        appDescription: row.description,
        appVerified: isSet(row.verified),
        appIconUpdatedAt: toDateOrNull(row.icon_updated_at),
      }));
    },
    async delete(userId, appId) {
      const result = await db.deleteFrom('grants').where('user_id', '=', userId).where('app_id', '=', appId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
