// Registered apps (OAuth clients).
import type { Kysely, Selectable } from 'kysely';
import type { AppsTable, Database } from '../schema.ts';
import type { App, RefreshRotation, Store } from '../types.ts';
import { flag, isSet, ms, toDate } from './rows.ts';

const toApp = (row: Selectable<AppsTable>): App => ({
  id: Number(row.id),
  tenantId: Number(row.tenant_id),
  clientId: row.client_id,
  clientSecretHash: row.client_secret_hash,
  name: row.name,
  description: row.description,
  redirectUris: JSON.parse(row.redirect_uris) as string[],
  limitToAccount: isSet(row.limit_to_account),
  verified: isSet(row.verified),
  refreshRotation: row.refresh_rotation as RefreshRotation,
  createdAt: toDate(row.created_at),
  updatedAt: toDate(row.updated_at),
});

export function appStore(db: Kysely<Database>): Store['apps'] {
  return {
    async create(input, now) {
      const row = await db
        .insertInto('apps')
        .values({
          tenant_id: input.tenantId,
          client_id: input.clientId,
          client_secret_hash: input.clientSecretHash,
          name: input.name,
          description: input.description,
          redirect_uris: JSON.stringify(input.redirectUris),
          limit_to_account: flag(input.limitToAccount),
          verified: 0,
          // Secure by default: refresh tokens of public clients rotate unless the app says otherwise.
          refresh_rotation: input.refreshRotation ?? 'public',
          created_at: ms(now),
          updated_at: ms(now),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toApp(row);
    },
    async byClientId(clientId) {
      const row = await db.selectFrom('apps').selectAll().where('client_id', '=', clientId).executeTakeFirst();
      return row && toApp(row);
    },
    async byId(id) {
      const row = await db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toApp(row);
    },
    async byName(name) {
      const row = await db.selectFrom('apps').selectAll().where('name', '=', name).executeTakeFirst();
      return row && toApp(row);
    },
  };
}
