// Authorization codes, token families and refresh tokens: the state behind every token.
// Each method that must be atomic is a single statement or a transaction here.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuthorizationCodesTable, Database, RefreshTokensTable, TokenFamiliesTable } from '../schema.ts';
import type { AuthorizationCode, ConsumeCodeResult, NewRefreshToken, RefreshToken, RevocationReason, RotateRefreshTokenResult, Store, TokenFamily } from '../types.ts';
import { toUser, withoutPassword } from './identity.ts';
import { writeTogether } from './direct-sqlite.ts';
import { precompiled } from './precompiled.ts';
import type { RevokedFamilies } from './revoked-families.ts';
import { flag, isSet, ms, toDate, toDateOrNull } from './rows.ts';
import { isPostgres, writeTransaction } from './write-transaction.ts';

const toCode = (row: Selectable<AuthorizationCodesTable>): AuthorizationCode => ({
  codeHash: row.code_hash,
  appId: Number(row.app_id),
  userId: Number(row.user_id),
  redirectUri: row.redirect_uri,
  scope: row.scope,
  codeChallenge: row.code_challenge,
  familyId: row.family_id,
  createdAt: toDate(row.created_at),
  expiresAt: toDate(row.expires_at),
});

const toFamily = (row: Selectable<TokenFamiliesTable>): TokenFamily => ({
  id: row.id,
  appId: Number(row.app_id),
  userId: Number(row.user_id),
  scope: row.scope,
  confidential: isSet(row.confidential),
  createdAt: toDate(row.created_at),
  revokedAt: toDateOrNull(row.revoked_at),
});

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

/** Revokes a family and its refresh tokens; call inside a transaction. */
async function revokeFamilyRows(trx: Kysely<Database>, id: string, reason: RevocationReason, now: Date): Promise<void> {
  await trx
    .updateTable('token_families')
    .set({ revoked_at: ms(now), revoked_reason: reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  await trx
    .updateTable('refresh_tokens')
    .set({ revoked_at: ms(now) })
    .where('family_id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

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
async function insertRefreshToken(trx: Kysely<Database>, token: NewRefreshToken, maxLive: number, now: Date): Promise<boolean> {
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

export function codeStore(db: Kysely<Database>): Store['codes'] {
  return {
    async issue(code, family) {
      // Issued on every authorization: on SQLite one short transaction at once (direct-sqlite.ts).
      await writeTogether(db, [
        db
          .insertInto('token_families')
          .values({
            id: family.id,
            app_id: family.appId,
            user_id: family.userId,
            scope: family.scope,
            confidential: flag(family.confidential),
            created_at: ms(family.createdAt),
            revoked_at: null,
            revoked_reason: null,
          })
          .compile(),
        db
          .insertInto('authorization_codes')
          .values({
            code_hash: code.codeHash,
            app_id: code.appId,
            user_id: code.userId,
            redirect_uri: code.redirectUri,
            scope: code.scope,
            code_challenge: code.codeChallenge,
            family_id: code.familyId,
            created_at: ms(code.createdAt),
            expires_at: ms(code.expiresAt),
            consumed_at: null,
          })
          .compile(),
      ]);
    },

    async find(codeHash) {
      const row = await db.selectFrom('authorization_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
      return row && { code: toCode(row), consumed: row.consumed_at !== null };
    },

    async consume(codeHash, now, redemption) {
      return writeTransaction(db, async (trx): Promise<ConsumeCodeResult> => {
        // One statement marks the code used; whoever gets the row back is the only winner. What
        // the code buys is stored in the same transaction, so a concurrent replay that revokes
        // the family always revokes it too, and never leaves the winner empty-handed.
        const row = await trx
          .updateTable('authorization_codes')
          .set({ consumed_at: ms(now) })
          .where('code_hash', '=', codeHash)
          .where('consumed_at', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (row) {
          if (redemption) {
            await trx.updateTable('token_families').set({ confidential: flag(redemption.confidential) }).where('id', '=', row.family_id).execute();
            if (redemption.refreshToken) await insertRefreshToken(trx, redemption.refreshToken, redemption.maxLivePerAppUser, now);
          }
          return { status: 'consumed', code: toCode(row) };
        }
        const spent = await trx
          .selectFrom('authorization_codes')
          .select('family_id')
          .where('code_hash', '=', codeHash)
          .executeTakeFirst();
        return spent ? { status: 'replayed', familyId: spent.family_id } : { status: 'unknown' };
      });
    },
  };
}

export function familyStore(db: Kysely<Database>, revoked: RevokedFamilies): Store['families'] {
  const liveUserQuery = precompiled(
    db,
    (id: string) =>
      db
        .selectFrom('token_families')
        .leftJoin('users', 'users.id', 'token_families.user_id')
        .selectAll('users')
        .select('token_families.revoked_at as family_revoked_at')
        .where('token_families.id', '=', id),
    '',
  );
  const liveSubjectQuery = precompiled(
    db,
    (id: string) =>
      db
        .selectFrom('token_families')
        .leftJoin('users', 'users.id', 'token_families.user_id')
        .select(['users.id as id', 'users.disabled as disabled', 'token_families.revoked_at as family_revoked_at'])
        .where('token_families.id', '=', id),
    '',
  );
  /** The row of a live family with a user; a revoked or missing family (or user) is remembered as revoked. */
  async function liveRow<Row extends { id: unknown; family_revoked_at: number | null }>(id: string, query: (id: string) => Promise<Row | undefined>): Promise<Row | undefined> {
    if (revoked.has(id)) return undefined;
    const row = await query(id);
    // The user's id (null: the user row is gone).
    if (row && row.family_revoked_at === null && row.id !== null) return row;
    revoked.add([id]);
    return undefined;
  }
  return {
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
          'token_families.confidential as family_confidential',
          'token_families.created_at as family_created_at',
          'token_families.revoked_at as family_revoked_at',
          'token_families.revoked_reason as family_revoked_reason',
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
        confidential: row.family_confidential,
        created_at: row.family_created_at,
        revoked_at: row.family_revoked_at,
        revoked_reason: row.family_revoked_reason,
      });
      return { token: toRefreshToken(row), family };
    },
    async touch(tokenHash, now) {
      await db.updateTable('refresh_tokens').set({ last_used_at: ms(now) }).where('token_hash', '=', tokenHash).execute();
    },
  };
}
