// Tenants and users.
import type { Kysely, Selectable } from 'kysely';
import type { Database, TenantsTable, UsersTable } from '../schema.ts';
import { DEFAULT_ESCALATION_POLICY } from '../../domain/alert-source.ts';
import { MFA_REQUIRED, type Tenant, type User, type UserChanges, type UserRole, type UserWithPassword } from '../../domain/identity.ts';
import type { Store } from '../store.ts';
import { precompiled } from '../sql/precompiled.ts';
import { flag, isSet, ms, toDate, toDateOrNull } from '../sql/rows.ts';

const toTenant = (row: Selectable<TenantsTable>): Tenant => ({
  id: Number(row.id),
  slug: row.slug,
  name: row.name,
  createdAt: toDate(row.created_at),
});

export const toUser = (row: Selectable<UsersTable>): UserWithPassword => ({
  id: Number(row.id),
  tenantId: Number(row.tenant_id),
  username: row.username,
  passwordHash: row.password_hash,
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  timezone: row.timezone,
  position: row.position,
  department: row.department,
  avatarUrl: row.avatar_url,
  picture: row.picture,
  phoneNumber: row.phone_number,
  language: row.language === 'de' ? 'de' : 'en',
  region: row.region,
  role: row.role as UserRole,
  shiftColor: row.shift_color,
  mutedUntil: toDateOrNull(row.muted_until),
  disabled: isSet(row.disabled),
  platformAdmin: isSet(row.platform_admin),
  createdAt: toDate(row.created_at),
  updatedAt: toDate(row.updated_at),
});

export function withoutPassword(user: UserWithPassword): User {
  const { passwordHash: _hidden, ...rest } = user;
  return rest;
}

/** Tenants kept in memory per store; beyond this many, lookups go to the database. */
const MAX_CACHED_TENANTS = 10_000;

export function tenantStore(db: Kysely<Database>): Store['tenants'] {
  const byId = new Map<number, Tenant>();
  return {
    async create(input, now) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('tenants')
          .values({ slug: input.slug, name: input.name, created_at: ms(now) })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.insertInto('escalation_policies').values({ tenant_id: row.id, name: DEFAULT_ESCALATION_POLICY }).execute();
        return toTenant(row);
      });
    },
    async bySlug(slug) {
      const row = await db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
      return row && toTenant(row);
    },
    async byId(id) {
      // Tenants never change once created: every access token names one, so keep them.
      const cached = byId.get(id);
      if (cached) return cached;
      const row = await db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
      const tenant = row && toTenant(row);
      if (tenant && byId.size < MAX_CACHED_TENANTS) byId.set(id, tenant);
      return tenant;
    },
    async list() {
      const rows = await db.selectFrom('tenants').selectAll().orderBy('slug').execute();
      return rows.map(toTenant);
    },
    async mfaPolicy(tenantId) {
      const row = await db.selectFrom('tenants').select(['mfa_required', 'mfa_for_delete_scopes']).where('id', '=', tenantId).executeTakeFirst();
      const required = MFA_REQUIRED.find((value) => value === row?.mfa_required) ?? 'off';
      return { required, forDeleteScopes: Number(row?.mfa_for_delete_scopes ?? 0) === 1 };
    },
    async setMfaPolicy(tenantId, policy) {
      await db.updateTable('tenants').set({ mfa_required: policy.required, mfa_for_delete_scopes: policy.forDeleteScopes ? 1 : 0 }).where('id', '=', tenantId).execute();
    },
    async count() {
      const row = await db.selectFrom('tenants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

function changedColumns(changes: UserChanges): { role?: string; disabled?: number; platform_admin?: number; picture?: string | null; phone_number?: string | null } {
  return {
    ...(changes.picture !== undefined && { picture: changes.picture }),
    ...(changes.phoneNumber !== undefined && { phone_number: changes.phoneNumber }),
    ...(changes.role !== undefined && { role: changes.role }),
    ...(changes.disabled !== undefined && { disabled: flag(changes.disabled) }),
    ...(changes.platformAdmin !== undefined && { platform_admin: flag(changes.platformAdmin) }),
  };
}

export function userStore(db: Kysely<Database>): Store['users'] {
  const byIdQuery = precompiled(db, (id: number) => db.selectFrom('users').selectAll().where('id', '=', id), 0);
  return {
    async create(input, now) {
      const row = await db
        .insertInto('users')
        .values({
          tenant_id: input.tenantId,
          username: input.username,
          password_hash: input.passwordHash,
          email: input.email,
          first_name: input.firstName,
          last_name: input.lastName,
          timezone: input.timezone ?? 'Europe/Berlin',
          position: '',
          department: '',
          avatar_url: null,
          picture: null,
          phone_number: input.phoneNumber ?? null,
          language: input.language ?? 'en',
          region: input.region ?? 'DE',
          role: input.role,
          shift_color: '#3366ff',
          muted_until: null,
          disabled: 0,
          created_at: ms(now),
          updated_at: ms(now),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return withoutPassword(toUser(row));
    },
    async byId(id) {
      const row = await byIdQuery(id);
      return row && withoutPassword(toUser(row));
    },
    async forLogin(tenantId, username) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('username', '=', username)
        .executeTakeFirst();
      return row && toUser(row);
    },
    async listByTenant(tenantId) {
      const rows = await db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).orderBy('username').execute();
      return rows.map((row) => withoutPassword(toUser(row)));
    },
    async update(id, changes, now) {
      const row = await db
        .updateTable('users')
        .set({ ...changedColumns(changes), updated_at: ms(now) })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && withoutPassword(toUser(row));
    },
  };
}
