// Refresh tokens: issuing one (within the live-token limit per app and user), rotating one, and
// the reads the refresh grant and introspection make.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { NewRefreshToken, RefreshToken } from '../../domain/tokens.ts';
import type { Database, RefreshTokensTable } from '../schema.ts';
import type { RotateRefreshTokenResult, Store } from '../store.ts';
import { precompiled } from '../sql/precompiled.ts';
import { ms, toDate, toDateOrNull } from '../sql/rows.ts';
import { isPostgres, writeTransaction } from '../sql/write-transaction.ts';
import { revokeFamilyRows, toFamily } from './families.ts';

const toRefreshToken = (row: Selectable<RefreshTokensTable>): RefreshToken => ({
  tokenHash: row.token_hash,
  familyId: row.family_id,
  appId: Number(row.app_id),
  userId: Number(row.user_id),
  scope: row.scope,
  createdAt: toDate(row.created_at),
  expiresAt: toDate(row.expires_at),
  lastUsedAt: toDateOrNull(row.last_used_at),
  revokedAt: toDateOrNull(row.revoked_at),
  rotatedAt: toDateOrNull(row.rotated_at),
  successorHash: row.successor_hash,
});

/**
 * Serialises refresh-token writes for one app and user on PostgreSQL (SQLite's write lock does
 * already). Re-entrant within a transaction.
 */
async function lockAppUser(trx: Kysely<Database>, appId: number, userId: number): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(hashtextextended(${`gatehouse.refresh-tokens:${appId}:${userId}`}, 0))`.execute(trx);
}

/** Whether the family is live, holding a shared lock on it (PostgreSQL) until commit. */
async function familyIsLive(trx: Kysely<Database>, familyId: string): Promise<boolean> {
  const family = await trx
    .selectFrom('token_families')
    .select('revoked_at')
    .where('id', '=', familyId)
    .$if(isPostgres(trx), (q) => q.forShare())
    .executeTakeFirst();
  return family !== undefined && family.revoked_at === null;
}

/**
 * Stores a refresh token unless its family was revoked meanwhile (then false), and revokes the
 * oldest families beyond `maxLive` live tokens per app and user. Call inside a write transaction.
 */
export async function insertRefreshToken(trx: Kysely<Database>, token: NewRefreshToken, maxLive: number, now: Date): Promise<boolean> {
  // The limit counts live tokens and revokes the surplus: two instances issuing for one app
  // and user at once must not both count 10 and each add one. SQLite holds the write lock
  // already; PostgreSQL takes a lock on this app and user until commit.
  await lockAppUser(trx, token.appId, token.userId);
  // Shared lock on PostgreSQL: a concurrent revocation of this family waits for this insert
  // and then revokes the new token too, instead of missing it.
  if (!(await familyIsLive(trx, token.familyId))) return false;
  await trx
    .insertInto('refresh_tokens')
    .values({
      token_hash: token.tokenHash,
      family_id: token.familyId,
      app_id: token.appId,
      user_id: token.userId,
      scope: token.scope,
      created_at: ms(token.createdAt),
      expires_at: ms(token.expiresAt),
      last_used_at: null,
      revoked_at: null,
      rotated_at: null,
      successor_hash: null,
    })
    .execute();
  // ilert keeps at most N live refresh tokens per app and user; the oldest go first. The new
  // token's family sorts first so a timestamp tie can never revoke what was just issued.
  // Tokens spent by rotation are not live: a rotated chain counts once, as its newest token.
  const surplus = await trx
    .selectFrom('refresh_tokens')
    .select('family_id')
    .where('app_id', '=', token.appId)
    .where('user_id', '=', token.userId)
    .where('revoked_at', 'is', null)
    .where('rotated_at', 'is', null)
    .where('expires_at', '>', ms(now))
    .orderBy(sql`case when family_id = ${token.familyId} then 0 else 1 end`)
    .orderBy('created_at', 'desc')
    .orderBy('token_hash')
    .offset(maxLive)
    .limit(1000)
    .execute();
  for (const { family_id } of surplus) await revokeFamilyRows(trx, family_id, 'token_limit', now);
  return true;
}

export function refreshTokenStore(db: Kysely<Database>): Store['refreshTokens'] {
  const withFamilyQuery = precompiled(
    db,
    (tokenHash: string) =>
      db
        .selectFrom('refresh_tokens')
        .innerJoin('token_families', 'token_families.id', 'refresh_tokens.family_id')
        .selectAll('refresh_tokens')
        .select([
          'token_families.scope as family_scope',
          'token_families.resource_scopes as family_resource_scopes',
          'token_families.confidential as family_confidential',
          'token_families.created_at as family_created_at',
          'token_families.revoked_at as family_revoked_at',
          'token_families.revoked_reason as family_revoked_reason',
          'token_families.auth_time as family_auth_time',
          'token_families.sid as family_sid',
          'token_families.amr as family_amr',
          'token_families.claims as family_claims',
        ])
        .where('refresh_tokens.token_hash', '=', tokenHash),
    '',
  );
  return {
    async issue(token, maxLive, now) {
      return writeTransaction(db, (trx) => insertRefreshToken(trx, token, maxLive, now));
    },
    async rotate(tokenHash, next, maxLive, now) {
      const current = await db.selectFrom('refresh_tokens').select(['family_id', 'app_id', 'user_id']).where('token_hash', '=', tokenHash).executeTakeFirst();
      if (!current) return { status: 'refused' };
      return writeTransaction(db, async (trx): Promise<RotateRefreshTokenResult> => {
        // Locks in the order every writer of refresh tokens takes them (app and user, then the
        // family, then the token row), so a rotation never deadlocks with an issue or a revocation.
        await lockAppUser(trx, Number(current.app_id), Number(current.user_id));
        if (!(await familyIsLive(trx, current.family_id))) return { status: 'refused' };
        // One statement spends the token; whoever gets the row back is the only one to rotate it.
        const spent = await trx
          .updateTable('refresh_tokens')
          .set({ rotated_at: ms(now), successor_hash: next.tokenHash, last_used_at: ms(now) })
          .where('token_hash', '=', tokenHash)
          .where('rotated_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', ms(now))
          .returning('token_hash')
          .executeTakeFirst();
        if (spent) {
          if (!(await insertRefreshToken(trx, next, maxLive, now))) throw new Error('token family revoked while its lock was held');
          return { status: 'rotated' };
        }
        const row = await trx.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
        if (row && row.rotated_at !== null && row.revoked_at === null) return { status: 'spent', token: toRefreshToken(row) };
        return { status: 'refused' };
      });
    },
    async byHash(tokenHash) {
      const row = await db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row && toRefreshToken(row);
    },
    async withFamily(tokenHash) {
      const row = await withFamilyQuery(tokenHash);
      if (!row) return undefined;
      const family = toFamily({
        id: row.family_id,
        app_id: row.app_id,
        user_id: row.user_id,
        scope: row.family_scope,
        resource_scopes: row.family_resource_scopes,
        confidential: row.family_confidential,
        created_at: row.family_created_at,
        revoked_at: row.family_revoked_at,
        revoked_reason: row.family_revoked_reason,
        auth_time: row.family_auth_time,
        sid: row.family_sid,
        amr: row.family_amr,
        claims: row.family_claims,
      });
      return { token: toRefreshToken(row), family };
    },
    async touch(tokenHash, now) {
      await db.updateTable('refresh_tokens').set({ last_used_at: ms(now) }).where('token_hash', '=', tokenHash).execute();
    },
  };
}
