// An app's own token families (client_credentials, docs/services.md). One family per app and
// resource is reused while it is live, rather than one per token: rows do not grow with every
// token request, and revoking that one family (revoke, a rotated secret, disabling the app)
// stops every token the app holds for the resource at once.
import { sql, type Kysely } from 'kysely';
import type { RevocationReason } from '../../domain/tokens.ts';
import type { Database } from '../schema.ts';
import type { ClientFamilyClaim } from '../client-families-contract.ts';
import type { Store } from '../store.ts';
import type { RevokedFamilies } from '../sql/revoked-families.ts';
import { ms } from '../sql/rows.ts';
import { resourceScopesJson } from '../sql/resource-scopes.ts';
import { isPostgres, writeTransaction } from '../sql/write-transaction.ts';
import { revokeFamilyRows } from './families.ts';

/** The app's live own families that may mint tokens for one of these resources (all of them when none are given). */
function liveOwnFamilies(trx: Kysely<Database>, appId: number, resourceIds?: readonly number[]) {
  return trx
    .selectFrom('token_families as f')
    .select('f.id')
    .where('f.app_id', '=', appId)
    .where('f.user_id', 'is', null)
    .where('f.revoked_at', 'is', null)
    .$if(resourceIds !== undefined, (q) =>
      q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('token_family_resources as r')
            .select(sql<number>`1`.as('one'))
            .whereRef('r.family_id', '=', 'f.id')
            .where('r.resource_id', 'in', [...(resourceIds ?? [])]),
        ),
      ),
    );
}

export function clientFamilyStore(db: Kysely<Database>, revoked: RevokedFamilies): Store['clientFamilies'] {
  return {
    async claim(claim: ClientFamilyClaim) {
      // A write transaction holding the app's row: concurrent grants of one app take turns, so
      // they share one family, and a concurrent delete or disable of the app either comes first
      // (and nothing is issued) or revokes what this one issued.
      return writeTransaction(db, async (trx) => {
        const app = await trx
          .selectFrom('apps')
          .select(['id', 'disabled_at'])
          .where('id', '=', claim.appId)
          .$if(isPostgres(trx), (q) => q.forUpdate())
          .executeTakeFirst();
        if (!app || app.disabled_at !== null) return undefined;
        const resources = resourceScopesJson([{ resourceId: claim.resourceId, scope: claim.scope }]);
        const live = await liveOwnFamilies(trx, claim.appId, [claim.resourceId]).orderBy('f.created_at', 'desc').limit(1).executeTakeFirst();
        if (live) {
          // The family's scope follows the app's service scopes (which may have grown since).
          await trx
            .updateTable('token_families')
            .set({
              scope: claim.scope,
              resource_scopes: resources,
              tokens_until: sql<number>`case when tokens_until is null or tokens_until < ${ms(claim.tokensUntil)} then ${ms(claim.tokensUntil)} else tokens_until end`,
            })
            .where('id', '=', live.id)
            .execute();
          return live.id;
        }
        await trx
          .insertInto('token_families')
          .values({
            id: claim.newFamilyId,
            app_id: claim.appId,
            user_id: null,
            scope: claim.scope,
            resource_scopes: resources,
            confidential: 1,
            created_at: ms(claim.now),
            revoked_at: null,
            revoked_reason: null,
            tokens_until: ms(claim.tokensUntil),
          })
          .execute();
        await trx.insertInto('token_family_resources').values({ family_id: claim.newFamilyId, resource_id: claim.resourceId }).execute();
        return claim.newFamilyId;
      });
    },
    async revokeForResources(appId: number, resourceIds: readonly number[], reason: RevocationReason, now: Date) {
      if (resourceIds.length === 0) return [];
      const ids = await db.transaction().execute(async (trx) => {
        const live = await liveOwnFamilies(trx, appId, resourceIds).execute();
        for (const { id } of live) await revokeFamilyRows(trx, id, reason, now);
        return live.map((row) => row.id);
      });
      revoked.add(ids);
      return ids;
    },
  };
}
