// Token families: what one authorization produces. Revoking a family ends its refresh tokens and,
// through the check on every use, its access tokens.
import type { Kysely, Selectable } from 'kysely';
import type { NewTokenFamily, SignInSession, TokenFamily, RevocationReason } from '../../domain/tokens.ts';
import type { Database, TokenFamiliesTable } from '../schema.ts';
import type { Store } from '../store.ts';
import { precompiled } from '../sql/precompiled.ts';
import type { RevokedFamilies } from '../sql/revoked-families.ts';
import { flag, isSet, ms, toDate, toDateOrNull } from '../sql/rows.ts';
import { resourceScopesJson, toResourceScopes } from '../sql/resource-scopes.ts';
import { signInSessionColumns, toSignInSession } from '../sql/sign-in-session.ts';
import { requestedClaimsJson, withRequestedClaims } from '../sql/requested-claims.ts';
import { toUser, withoutPassword } from './identity.ts';
import { recordRevocations } from './revocation-feed.ts';

/** OpenID Connect's sign-in only where there is one, so other families read as before. */
const withSignInSession = (session: SignInSession | null) => (session ? { session } : {});

export const toFamily = (row: Omit<Selectable<TokenFamiliesTable>, 'tokens_until'>): TokenFamily => ({
  id: row.id,
  appId: Number(row.app_id),
  userId: row.user_id === null ? null : Number(row.user_id),
  scope: row.scope,
  resources: toResourceScopes(row.resource_scopes, row.scope),
  confidential: isSet(row.confidential),
  createdAt: toDate(row.created_at),
  revokedAt: toDateOrNull(row.revoked_at),
  ...withSignInSession(toSignInSession(row)),
  ...withRequestedClaims(row.claims),
});

/** A new family's row: not yet revoked. */
export const familyRow = (family: NewTokenFamily) => ({
  id: family.id,
  app_id: family.appId,
  user_id: family.userId,
  scope: family.scope,
  resource_scopes: resourceScopesJson(family.resources ?? toResourceScopes(null, family.scope)),
  confidential: flag(family.confidential),
  created_at: ms(family.createdAt),
  revoked_at: null,
  revoked_reason: null,
  ...signInSessionColumns(family.session),
  claims: requestedClaimsJson(family.claims),
});

/** The rows that index a new family by the resources it may mint tokens for. */
export const familyResourceRows = (family: NewTokenFamily) =>
  (family.resources ?? toResourceScopes(null, family.scope)).map(({ resourceId }) => ({ family_id: family.id, resource_id: resourceId }));

/** Revokes a family and its refresh tokens; call inside a transaction. */
export async function revokeFamilyRows(trx: Kysely<Database>, id: string, reason: RevocationReason, now: Date): Promise<void> {
  const ended = await trx
    .updateTable('token_families')
    .set({ revoked_at: ms(now), revoked_reason: reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  // Resource servers hear of it through the feed, once: only the revocation that ended it writes.
  if (Number(ended.numUpdatedRows) > 0) await recordRevocations(trx, [id], reason, now);
  await trx
    .updateTable('refresh_tokens')
    .set({ revoked_at: ms(now) })
    .where('family_id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export function familyStore(db: Kysely<Database>, revoked: RevokedFamilies): Store['families'] {
  const liveUserQuery = precompiled(
    db,
    (id: string) =>
      db
        .selectFrom('token_families')
        .leftJoin('users', 'users.id', 'token_families.user_id')
        .selectAll('users')
        .select(['token_families.revoked_at as family_revoked_at', 'token_families.user_id as family_user_id'])
        .where('token_families.id', '=', id),
    '',
  );
  const liveSubjectQuery = precompiled(
    db,
    (id: string) =>
      db
        .selectFrom('token_families')
        .leftJoin('users', 'users.id', 'token_families.user_id')
        .select(['users.id as id', 'users.disabled as disabled', 'token_families.revoked_at as family_revoked_at', 'token_families.user_id as family_user_id'])
        .where('token_families.id', '=', id),
    '',
  );
  /**
   * The row of a live family with its user. A revoked or missing family, or one whose user is gone,
   * is remembered as revoked; a live family of the app itself (no user) has no user row to give.
   */
  async function liveRow<Row extends { id: unknown; family_revoked_at: number | null; family_user_id: number | null }>(
    id: string,
    query: (id: string) => Promise<Row | undefined>,
  ): Promise<Row | undefined> {
    if (revoked.has(id)) return undefined;
    const row = await query(id);
    if (row && row.family_revoked_at === null && row.family_user_id === null) return undefined;
    // The user's id (null: the user row is gone).
    if (row && row.family_revoked_at === null && row.id !== null) return row;
    revoked.add([id]);
    return undefined;
  }
  return {
    async create(family) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('token_families').values(familyRow(family)).execute();
        await trx.insertInto('token_family_resources').values(familyResourceRows(family)).execute();
      });
    },
    async byId(id) {
      const row = await db.selectFrom('token_families').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toFamily(row);
    },
    async revoke(id, reason, now) {
      await db.transaction().execute((trx) => revokeFamilyRows(trx, id, reason, now));
      revoked.add([id]);
    },
    async revokeWhere(owner, reason, now) {
      if (owner.appId === undefined && owner.userId === undefined) throw new RangeError('revokeWhere needs an app or a user');
      const ids = await db.transaction().execute(async (trx) => {
        const live = await trx
          .selectFrom('token_families')
          .select('id')
          .where('revoked_at', 'is', null)
          .$if(owner.appId !== undefined, (q) => q.where('app_id', '=', owner.appId as number))
          .$if(owner.userId !== undefined, (q) => q.where('user_id', '=', owner.userId as number))
          .execute();
        for (const { id } of live) await revokeFamilyRows(trx, id, reason, now);
        return live.map((row) => row.id);
      });
      revoked.add(ids);
      return ids;
    },
    async isRevoked(id) {
      if (revoked.has(id)) return true;
      const row = await db.selectFrom('token_families').select('revoked_at').where('id', '=', id).executeTakeFirst();
      const isRevoked = row === undefined || row.revoked_at !== null;
      if (isRevoked) revoked.add([id]);
      return isRevoked;
    },
    async liveUser(id) {
      const row = await liveRow(id, liveUserQuery);
      return row && withoutPassword(toUser(row as Selectable<Database['users']>));
    },
    async liveSubject(id) {
      const row = await liveRow(id, liveSubjectQuery);
      return row && { id: Number(row.id), disabled: isSet(row.disabled ?? 0) };
    },
  };
}

