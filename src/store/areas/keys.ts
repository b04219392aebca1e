// The signing keys (private parts arrive here already encrypted). Rotation is one transaction so
// no reader ever sees the old key retired without its successor in place.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { SigningKey } from '../../domain/signing-key.ts';
import type { Store } from '../store.ts';
import { ms, toDate } from '../sql/rows.ts';

function insertKey(db: Kysely<Database>, key: SigningKey) {
  return db
    .insertInto('signing_keys')
    .values({
      kid: key.kid,
      alg: key.alg,
      public_jwk: key.publicJwk,
      private_jwk_encrypted: key.privateJwkEncrypted,
      created_at: ms(key.createdAt),
      retired_at: key.retiredAt ? ms(key.retiredAt) : null,
    })
    .execute();
}

export function keyStore(db: Kysely<Database>): Store['keys'] {
  return {
    async add(key) {
      await insertKey(db, key);
    },
    async list() {
      const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid', 'desc').execute();
      return rows.map((row) => ({
        kid: row.kid,
        alg: row.alg,
        publicJwk: row.public_jwk,
        privateJwkEncrypted: row.private_jwk_encrypted,
        createdAt: toDate(row.created_at),
        retiredAt: row.retired_at === null ? null : toDate(row.retired_at),
      }));
    },
    async rotate(next, now) {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('signing_keys').set({ retired_at: ms(now) }).where('retired_at', 'is', null).execute();
        await insertKey(trx, { ...next, retiredAt: null });
      });
    },
    async retireAllExcept(kid, now) {
      await db.updateTable('signing_keys').set({ retired_at: ms(now) }).where('retired_at', 'is', null).where('kid', '!=', kid).execute();
    },
  };
}
