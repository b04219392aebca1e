// Initial access tokens for dynamic client registration. Using one is a single UPDATE … RETURNING
// that checks it is live (not revoked, not expired, uses left) and counts the use, so two
// registrations racing for a token's last use cannot both get it.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { InitialAccessToken } from '../../domain/registration.ts';
import type { Database, RegistrationTokensTable } from '../schema.ts';
import type { Store } from '../store.ts';
import { ms, toDate, toDateOrNull } from '../sql/rows.ts';

const toToken = (row: Selectable<RegistrationTokensTable>): InitialAccessToken => ({
  id: Number(row.id),
  label: row.label,
  maxUses: row.max_uses === null ? null : Number(row.max_uses),
  useCount: Number(row.use_count),
  createdAt: toDate(row.created_at),
  expiresAt: toDateOrNull(row.expires_at),
  lastUsedAt: toDateOrNull(row.last_used_at),
  revokedAt: toDateOrNull(row.revoked_at),
});

export function registrationTokenStore(db: Kysely<Database>): Store['registrationTokens'] {
  const live = (now: Date) =>
    db
      .selectFrom('registration_tokens')
      .selectAll()
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', ms(now))]))
      .where((eb) => eb.or([eb('max_uses', 'is', null), eb('use_count', '<', eb.ref('max_uses'))]));
  return {
    async create(input, now) {
      const row = await db
        .insertInto('registration_tokens')
        .values({ token_hash: input.tokenHash, label: input.label, max_uses: input.maxUses, created_at: ms(now), expires_at: input.expiresAt && ms(input.expiresAt), last_used_at: null, revoked_at: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toToken(row);
    },
    async list() {
      const rows = await db.selectFrom('registration_tokens').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(toToken);
    },
    async byId(id) {
      const row = await db.selectFrom('registration_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toToken(row);
    },
    async findLive(tokenHash, now) {
      const row = await live(now).where('token_hash', '=', tokenHash).executeTakeFirst();
      return row && toToken(row);
    },
    async use(tokenHash, now) {
      const row = await db
        .updateTable('registration_tokens')
        .set({ use_count: sql<number>`use_count + 1`, last_used_at: ms(now) })
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', ms(now))]))
        .where((eb) => eb.or([eb('max_uses', 'is', null), eb('use_count', '<', eb.ref('max_uses'))]))
        .returningAll()
        .executeTakeFirst();
      return row && toToken(row);
    },
    async revoke(id, now) {
      const row = await db.updateTable('registration_tokens').set({ revoked_at: ms(now) }).where('id', '=', id).where('revoked_at', 'is', null).returningAll().executeTakeFirst();
      return row && toToken(row);
    },
  };
}
