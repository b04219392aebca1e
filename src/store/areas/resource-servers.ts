// Resource servers: the APIs tokens are issued for. Deleting one leaves a tombstone (its
// credentials still read the revocation feed) and revokes every family that could mint its tokens.
import type { Kysely, Selectable } from 'kysely';
import { BUILT_IN_RESOURCE_ID, type ResourceServer, type ResourceServerChanges, type ScopeDefinition } from '../../domain/resource-server.ts';
import type { Database, ResourceServersTable } from '../schema.ts';
import type { Store } from '../store.ts';
import type { RevokedFamilies } from '../sql/revoked-families.ts';
import { isSet, ms, toDate, toDateOrNull } from '../sql/rows.ts';
import { writeTransaction } from '../sql/write-transaction.ts';
import { revokeFamilyRows } from './families.ts';

const toResourceServer = (row: Selectable<ResourceServersTable>): ResourceServer => ({
  id: Number(row.id),
  identifier: row.identifier,
  builtIn: isSet(row.built_in),
  name: row.name,
  description: row.description,
  scopes: JSON.parse(row.scopes) as ScopeDefinition[],
  accessTokenLifetime: row.access_token_lifetime === null ? null : Number(row.access_token_lifetime),
  clientId: row.client_id,
  clientSecretHash: row.client_secret_hash,
  createdAt: toDate(row.created_at),
  updatedAt: toDate(row.updated_at),
  deletedAt: toDateOrNull(row.deleted_at),
});

function changedColumns(changes: ResourceServerChanges): Partial<Selectable<ResourceServersTable>> {
  const set: Partial<Selectable<ResourceServersTable>> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.scopes !== undefined) set.scopes = JSON.stringify(changes.scopes);
  if (changes.accessTokenLifetime !== undefined) set.access_token_lifetime = changes.accessTokenLifetime;
  if (changes.clientSecretHash !== undefined) set.client_secret_hash = changes.clientSecretHash;
  return set;
}

/** A unique index refused the row: a concurrent create took the identifier first. */
const isUniqueViolation = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
};

export function resourceServerStore(db: Kysely<Database>, revoked: RevokedFamilies): Store['resourceServers'] {
  const live = () => db.selectFrom('resource_servers').selectAll().where('deleted_at', 'is', null);
  return {
    async create(input, now) {
      return writeTransaction(db, async (trx) => {
        const taken = await trx.selectFrom('resource_servers').select('id').where('identifier', '=', input.identifier).where('deleted_at', 'is', null).executeTakeFirst();
        if (taken) return undefined;
        const row = await trx
          .insertInto('resource_servers')
          .values({
            identifier: input.identifier,
            built_in: 0,
            name: input.name,
            description: input.description,
            scopes: JSON.stringify(input.scopes),
            access_token_lifetime: input.accessTokenLifetime,
            client_id: input.clientId,
            client_secret_hash: input.clientSecretHash,
            created_at: ms(now),
            updated_at: ms(now),
            deleted_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toResourceServer(row);
      }).catch((error: unknown) => {
        if (isUniqueViolation(error)) return undefined;
        throw error;
      });
    },
    async list() {
      return (await live().orderBy('id').execute()).map(toResourceServer);
    },
    async byId(id) {
      const row = await live().where('id', '=', id).executeTakeFirst();
      return row && toResourceServer(row);
    },
    async byIds(ids) {
      if (ids.length === 0) return [];
      return (await live().where('id', 'in', [...ids]).execute()).map(toResourceServer);
    },
    async byIdentifier(identifier) {
      const row = await live().where('identifier', '=', identifier).executeTakeFirst();
      return row && toResourceServer(row);
    },
    async byClientId(clientId) {
      const row = await db.selectFrom('resource_servers').selectAll().where('client_id', '=', clientId).executeTakeFirst();
      return row && toResourceServer(row);
    },
    async update(id, changes, now) {
      const row = await db
        .updateTable('resource_servers')
        .set({ ...changedColumns(changes), updated_at: ms(now) })
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row && toResourceServer(row);
    },
    async delete(id, now) {
      if (id === BUILT_IN_RESOURCE_ID) throw new RangeError('The built-in API cannot be deleted');
      const ids = await writeTransaction(db, async (trx) => {
        const row = await trx.updateTable('resource_servers').set({ deleted_at: ms(now), updated_at: ms(now) }).where('id', '=', id).where('deleted_at', 'is', null).where('built_in', '=', 0).returning('id').executeTakeFirst();
        if (!row) return undefined;
        await trx.updateTable('apps').set({ default_resource_id: null }).where('default_resource_id', '=', id).execute();
        const families = await trx
          .selectFrom('token_family_resources')
          .innerJoin('token_families', 'token_families.id', 'token_family_resources.family_id')
          .select('token_families.id')
          .where('token_family_resources.resource_id', '=', id)
          .where('token_families.revoked_at', 'is', null)
          .execute();
        for (const family of families) await revokeFamilyRows(trx, family.id, 'resource_deleted', now);
        return families.map((family) => family.id);
      });
      if (ids) revoked.add(ids);
      return ids;
    },
  };
}
