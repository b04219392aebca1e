// Creating tenants and users, with the checks every entry point (CLI, demo, console) shares.
import type { Tenant, User, UserRole } from '../store/types.ts';
import type { OAuthContext } from './context.ts';
import { hashPassword } from './login.ts';
import { RegistrationError } from './apps.ts';

export const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const RESERVED_SLUGS = new Set(['app', 'api', 'www', 'admin', 'auth', 'login']);
const USERNAME = /^[A-Za-z0-9._@-]{1,100}$/;
export const ROLES: readonly UserRole[] = ['STAKEHOLDER', 'GUEST', 'RESPONDER', 'USER', 'ADMIN'];

export async function createTenant(input: { slug: string; name?: string }, ctx: OAuthContext): Promise<Tenant> {
  const slug = input.slug.trim().toLowerCase();
  if (!TENANT_SLUG.test(slug)) throw new RegistrationError('The tenant slug must be 1 to 63 of a-z, 0-9 and -, not starting or ending with -');
  if (RESERVED_SLUGS.has(slug)) throw new RegistrationError(`"${slug}" is reserved and cannot name a tenant`);
  if (await ctx.store.tenants.bySlug(slug)) throw new RegistrationError(`A tenant "${slug}" already exists`);
  return ctx.store.tenants.create({ slug, name: input.name?.trim() || slug }, ctx.clock.now());
}

export interface UserInput {
  tenantId: number;
  username: string;
  password: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  role?: UserRole;
}

export async function createUser(input: UserInput, ctx: OAuthContext): Promise<User> {
  if (!USERNAME.test(input.username)) throw new RegistrationError('The username must be 1 to 100 of A-Z, a-z, 0-9 and . _ @ -');
  if (input.password.length < 8 || input.password.length > 1024) throw new RegistrationError('The password must be 8 to 1024 characters');
  if (await ctx.store.users.forLogin(input.tenantId, input.username)) {
    throw new RegistrationError(`A user "${input.username}" already exists in this tenant`);
  }
  return ctx.store.users.create(
    {
      tenantId: input.tenantId,
      username: input.username,
      passwordHash: await hashPassword(input.password),
      email: input.email ?? `${input.username}@example.com`,
      firstName: input.firstName ?? input.username,
      lastName: input.lastName ?? '',
      role: input.role ?? 'USER',
    },
    ctx.clock.now(),
  );
}
