// Authorization codes: issued with their (not yet used) token family, redeemed once.
import type { Kysely, Selectable } from 'kysely';
import type { AuthorizationCode } from '../../domain/tokens.ts';
import type { AuthorizationCodesTable, Database } from '../schema.ts';
import type { ConsumeCodeResult, Store } from '../store.ts';
import { writeTogether } from '../sql/direct-sqlite.ts';
import { flag, ms, toDate } from '../sql/rows.ts';
import { writeTransaction } from '../sql/write-transaction.ts';
import { resourceScopesJson, toResourceScopes } from '../sql/resource-scopes.ts';
import { signInSessionColumns, toSignInSession } from '../sql/sign-in-session.ts';
import { requestedClaimsJson, withRequestedClaims } from '../sql/requested-claims.ts';
import { familyResourceRows, familyRow } from './families.ts';
import { insertRefreshToken } from './refresh-tokens.ts';

const toCode = (row: Selectable<AuthorizationCodesTable>): AuthorizationCode => ({
  codeHash: row.code_hash,
  appId: Number(row.app_id),
  userId: Number(row.user_id),
  redirectUri: row.redirect_uri,
  scope: row.scope,
  resources: toResourceScopes(row.resource_scopes, row.scope),
  codeChallenge: row.code_challenge,
  familyId: row.family_id,
  createdAt: toDate(row.created_at),
  expiresAt: toDate(row.expires_at),
  ...oidcFields(row),
});

/** OpenID Connect's fields only where a code has them, so a plain OAuth code reads as before. */
function oidcFields(row: Selectable<AuthorizationCodesTable>): Pick<AuthorizationCode, 'nonce' | 'session' | 'claims'> {
  const session = toSignInSession(row);
  return { ...(row.nonce === null ? {} : { nonce: row.nonce }), ...(session ? { session } : {}), ...withRequestedClaims(row.claims) };
}

export function codeStore(db: Kysely<Database>): Store['codes'] {
  return {
    async issue(code, family) {
      // Issued on every authorization: on SQLite one short transaction at once (direct-sqlite.ts).
      await writeTogether(db, [
        db.insertInto('token_families').values(familyRow(family)).compile(),
        db.insertInto('token_family_resources').values(familyResourceRows(family)).compile(),
        db
          .insertInto('authorization_codes')
          .values({
            code_hash: code.codeHash,
            app_id: code.appId,
            user_id: code.userId,
            redirect_uri: code.redirectUri,
            scope: code.scope,
            resource_scopes: resourceScopesJson(code.resources ?? toResourceScopes(null, code.scope)),
            code_challenge: code.codeChallenge,
            family_id: code.familyId,
            created_at: ms(code.createdAt),
            expires_at: ms(code.expiresAt),
            consumed_at: null,
            nonce: code.nonce ?? null,
            ...signInSessionColumns(code.session),
            claims: requestedClaimsJson(code.claims),
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

