// Registered apps (OAuth clients), their icons, and deleting an app with all it was issued.
import type { Kysely, Selectable } from 'kysely';
import type { AppsTable, Database } from '../schema.ts';
import { DEFAULT_GRANT_TYPES, type App, type AppChanges, type AppRegistration, type ClientMetadata, type JsonWebKeySet, type RefreshRotation, type SubjectType, type TokenEndpointAuthMethod } from '../../domain/app.ts';
import type { ResourceScope } from '../../domain/resource-server.ts';
import type { Store } from '../store.ts';
import type { RevokedFamilies } from '../sql/revoked-families.ts';
import { flag, isSet, ms, toDate, toDateOrNull } from '../sql/rows.ts';
import { precompiled } from '../sql/precompiled.ts';
import { isPostgres, writeTransaction } from '../sql/write-transaction.ts';
import { recordRevocations } from './revocation-feed.ts';
import { appUsageStore } from './app-usage.ts';

const toApp = (row: Selectable<AppsTable>): App => ({
  id: Number(row.id),
  tenantId: row.tenant_id === null ? null : Number(row.tenant_id),
  clientId: row.client_id,
  clientSecretHash: row.client_secret_hash,
  name: row.name,
  description: row.description,
  redirectUris: JSON.parse(row.redirect_uris) as string[],
  limitToAccount: isSet(row.limit_to_account),
  verified: isSet(row.verified),
  refreshRotation: row.refresh_rotation as RefreshRotation,
  grantTypes: JSON.parse(row.grant_types) as string[],
  defaultResourceId: row.default_resource_id === null ? null : Number(row.default_resource_id),
  iconUpdatedAt: toDateOrNull(row.icon_updated_at),
  registration: row.registration as AppRegistration,
  tokenEndpointAuthMethod: row.token_endpoint_auth_method as TokenEndpointAuthMethod | null,
  jwks: jsonOrNull<JsonWebKeySet>(row.jwks),
  jwksUri: row.jwks_uri,
  serviceScopes: jsonOrNull<ResourceScope[]>(row.service_scopes) ?? [],
  disabledAt: toDateOrNull(row.disabled_at),
  lastUsedAt: toDateOrNull(row.last_used_at),
  registrationTokenHash: row.registration_token_hash,
  clientMetadata: jsonOrNull<ClientMetadata>(row.client_metadata),
  postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
  backchannelLogoutUri: row.backchannel_logout_uri,
  subjectType: row.subject_type as SubjectType,
  createdAt: toDate(row.created_at),
  updatedAt: toDate(row.updated_at),
});

function jsonOrNull<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

const jsonColumn = (value: object | null): string | null => (value === null ? null : JSON.stringify(value));
/** Service scopes are stored as null when there are none, so older rows and new ones read alike. */
const serviceScopesColumn = (scopes: ResourceScope[]): string | null => (scopes.length === 0 ? null : JSON.stringify(scopes));

function changedColumns(changes: AppChanges): Partial<Selectable<AppsTable>> {
  const set: Partial<Selectable<AppsTable>> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.redirectUris !== undefined) set.redirect_uris = JSON.stringify(changes.redirectUris);
  if (changes.limitToAccount !== undefined) set.limit_to_account = flag(changes.limitToAccount);
  if (changes.refreshRotation !== undefined) set.refresh_rotation = changes.refreshRotation;
  if (changes.grantTypes !== undefined) set.grant_types = JSON.stringify(changes.grantTypes);
  if (changes.verified !== undefined) set.verified = flag(changes.verified);
  if (changes.clientSecretHash !== undefined) set.client_secret_hash = changes.clientSecretHash;
  if (changes.defaultResourceId !== undefined) set.default_resource_id = changes.defaultResourceId;
  if (changes.tokenEndpointAuthMethod !== undefined) set.token_endpoint_auth_method = changes.tokenEndpointAuthMethod;
  if (changes.jwks !== undefined) set.jwks = jsonColumn(changes.jwks);
  if (changes.jwksUri !== undefined) set.jwks_uri = changes.jwksUri;
  if (changes.serviceScopes !== undefined) set.service_scopes = serviceScopesColumn(changes.serviceScopes);
  if (changes.disabledAt !== undefined) set.disabled_at = changes.disabledAt === null ? null : ms(changes.disabledAt);
  if (changes.registrationTokenHash !== undefined) set.registration_token_hash = changes.registrationTokenHash;
  if (changes.clientMetadata !== undefined) set.client_metadata = jsonColumn(changes.clientMetadata);
  if (changes.postLogoutRedirectUris !== undefined) set.post_logout_redirect_uris = JSON.stringify(changes.postLogoutRedirectUris);
  if (changes.backchannelLogoutUri !== undefined) set.backchannel_logout_uri = changes.backchannelLogoutUri;
  if (changes.subjectType !== undefined) set.subject_type = changes.subjectType;
  return set;
}

export function appStore(db: Kysely<Database>, revoked: RevokedFamilies): Omit<Store['apps'], 'setDisabled'> {
  // Every token request and authorization looks its client up.
  const byClientIdQuery = precompiled(db, (clientId: string) => db.selectFrom('apps').selectAll().where('client_id', '=', clientId), '');
  return {
    ...appUsageStore(db, toApp),
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
          grant_types: JSON.stringify(input.grantTypes ?? DEFAULT_GRANT_TYPES),
          icon_updated_at: null,
          default_resource_id: input.defaultResourceId ?? null,
          registration: input.registration ?? 'console',
          token_endpoint_auth_method: input.tokenEndpointAuthMethod ?? null,
          jwks: jsonColumn(input.jwks ?? null),
          jwks_uri: input.jwksUri ?? null,
          service_scopes: serviceScopesColumn(input.serviceScopes ?? []),
          registration_token_hash: input.registrationTokenHash ?? null,
          client_metadata: jsonColumn(input.clientMetadata ?? null),
          post_logout_redirect_uris: JSON.stringify(input.postLogoutRedirectUris ?? []),
          backchannel_logout_uri: input.backchannelLogoutUri ?? null,
          subject_type: input.subjectType ?? 'public',
          created_at: ms(now),
          updated_at: ms(now),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toApp(row);
    },
    async byClientId(clientId) {
      const row = await byClientIdQuery(clientId);
      return row && toApp(row);
    },
    async byId(id) {
      const row = await db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toApp(row);
    },
    async byName(name) {
      // Names are unique among console apps only (migration 013); the CLI finds those by name.
      const row = await db.selectFrom('apps').selectAll().where('name', '=', name).where('registration', '=', 'console').executeTakeFirst();
      return row && toApp(row);
    },
    async list(tenantId) {
      const rows = await db
        .selectFrom('apps')
        .selectAll()
        .$if(tenantId !== undefined, (q) => q.where('tenant_id', '=', tenantId as number))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(toApp);
    },
    async update(id, changes, now) {
      const row = await db
        .updateTable('apps')
        .set({ ...changedColumns(changes), updated_at: ms(now) })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toApp(row);
    },
    async setIcon(id, png, now) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('app_icons').where('app_id', '=', id).execute();
        if (png) await trx.insertInto('app_icons').values({ app_id: id, png, updated_at: ms(now) }).execute();
        await trx
          .updateTable('apps')
          .set({ icon_updated_at: png ? ms(now) : null, updated_at: ms(now) })
          .where('id', '=', id)
          .execute();
      });
    },
    async icon(id) {
      const row = await db.selectFrom('app_icons').select(['png', 'updated_at']).where('app_id', '=', id).executeTakeFirst();
      return row && { png: Buffer.from(row.png), updatedAt: toDate(row.updated_at) };
    },
    async delete(id, now = new Date()) {
      // A write transaction: a code redeemed or a token refreshed concurrently either lands
      // before (and is deleted here) or finds the app gone.
      const families = await writeTransaction(db, async (trx) => {
        // The app's row is locked on PostgreSQL: a client_credentials grant creating its family
        // (client-families.ts) either commits first, and its family is deleted here, or finds the app gone.
        const app = await trx.selectFrom('apps').select('id').where('id', '=', id).$if(isPostgres(trx), (q) => q.forUpdate()).executeTakeFirst();
        if (!app) return undefined;
        const ids = (await trx.selectFrom('token_families').select('id').where('app_id', '=', id).execute()).map((row) => row.id);
        // Before the families go: resource servers learn that their live tokens ended.
        const live = await trx.selectFrom('token_families').select('id').where('app_id', '=', id).where('revoked_at', 'is', null).execute();
        await recordRevocations(trx, live.map((row) => row.id), 'app_deleted', now);
        await trx.deleteFrom('refresh_tokens').where('app_id', '=', id).execute();
        await trx.deleteFrom('authorization_codes').where('app_id', '=', id).execute();
        await trx.deleteFrom('device_codes').where('app_id', '=', id).execute();
        await trx.deleteFrom('token_families').where('app_id', '=', id).execute();
        await trx.deleteFrom('grants').where('app_id', '=', id).execute();
        await trx.deleteFrom('app_icons').where('app_id', '=', id).execute();
        await trx.deleteFrom('apps').where('id', '=', id).execute();
        return ids;
      });
      if (families) revoked.add(families);
      return families;
    },
  };
}
