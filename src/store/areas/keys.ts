// The signing keys (private parts arrive here already encrypted).
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Store } from '../types.ts';
import { ms, toDate } from './rows.ts';

export function keyStore(db: Kysely<Database>): Store['keys'] {
  return {
    async add(key) {
      await db
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
    },
    async list() {
      const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').execute();
      return rows.map((row) => ({
        kid: row.kid,
        alg: row.alg,
        publicJwk: row.public_jwk,
        privateJwkEncrypted: row.private_jwk_encrypted,
        createdAt: toDate(row.created_at),
        retiredAt: row.retired_at === null ? null : toDate(row.retired_at),
      }));
    },
  };
}
