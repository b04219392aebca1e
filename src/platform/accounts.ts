// Creating tenants and users, with the checks every entry point (CLI, demo, console) shares.
import type { Tenant, User, UserChanges, UserRole } from '../domain/identity.ts';
import type { Actor } from './app-management.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { endSessionsOf, hashPassword } from './login.ts';
import { RegistrationError } from './apps.ts';
import { isLocalHost, registeredUrl } from '../oauth/redirect-uri.ts';

export const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const RESERVED_SLUGS = new Set(['app', 'api', 'www', 'admin', 'auth', 'login']);
const USERNAME = /^[A-Za-z0-9._@-]{1,100}$/;
export const ROLES: readonly UserRole[] = ['STAKEHOLDER', 'GUEST', 'RESPONDER', 'USER', 'ADMIN'];
/** The longest picture URL a user may have (the column's size). */
export const MAX_PICTURE_URL = 2048;

/** Why a URL cannot be a user's picture (OpenID Connect's `picture`: apps load it), or undefined: https, or http on this machine. */
export function pictureUrlProblem(value: string): string | undefined {
  const url = registeredUrl(value, MAX_PICTURE_URL);
  if (typeof url === 'string') return url;
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLocalHost(url.hostname))) return undefined;
  return 'must be an https URL (http only for localhost or a loopback address)';
}

/** The longest phone number accepted as typed, separators included (the column's size). */
export const MAX_PHONE_NUMBER = 32;
const PHONE_SEPARATORS = /[ .()-]/g;

/**
 * A phone number as typed, in E.164 form (`+49 151 1234-5678` → `+4915112345678`: `+`, then 8
 * to 15 digits, the first not 0; spaces, dashes, dots and parentheses are dropped), or why it is
 * not one.
 */
export function normalizePhoneNumber(value: string): { phoneNumber: string } | { problem: string } {
  const typed = value.trim();
  if (typed.length > MAX_PHONE_NUMBER) return { problem: `must be at most ${MAX_PHONE_NUMBER} characters` };
  if (!typed.startsWith('+')) return { problem: 'must start with + and the country code (E.164, e.g. +4915112345678)' };
  if (/\(\s*0\s*\)/.test(typed)) return { problem: 'must leave out the (0) of national dialling (+49 151…, not +49 (0)151…)' };
  const digits = typed.slice(1).replace(PHONE_SEPARATORS, '');
  if (!/^[0-9]*$/.test(digits)) return { problem: 'may contain only digits, spaces, dashes, dots and parentheses after the +' };
  if (digits.length < 8 || digits.length > 15) return { problem: `must have 8 to 15 digits after the + (it has ${digits.length})` };
  if (digits.startsWith('0')) return { problem: 'must start with the country code after the +, which never starts with 0' };
  return { phoneNumber: `+${digits}` };
}

/** The E.164 form of a phone number to store, or a RegistrationError saying what is wrong with it. */
function storedPhoneNumber(value: string): string {
  const normalized = normalizePhoneNumber(value);
  if ('problem' in normalized) throw new RegistrationError(`The phone number ${normalized.problem}`, 'phoneNumber');
  return normalized.phoneNumber;
}

/** A new tenant (an account), with its default escalation policy, as on ilert (the store makes both at once). */
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
  /** As typed; stored in E.164 form. */
  phoneNumber?: string;
}

export async function createUser(input: UserInput, ctx: OAuthContext): Promise<User> {
  if (!USERNAME.test(input.username)) throw new RegistrationError('The username must be 1 to 100 of A-Z, a-z, 0-9 and . _ @ -');
  if (input.password.length < 8 || input.password.length > 1024) throw new RegistrationError('The password must be 8 to 1024 characters');
  const phoneNumber = input.phoneNumber === undefined ? null : storedPhoneNumber(input.phoneNumber);
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
      phoneNumber,
    },
    ctx.clock.now(),
  );
}

/**
 * Changes a user's role, disabled flag, platform-admin flag, picture URL or phone number (as typed;
 * stored in E.164 form). Disabling ends every session and every token family of the user, so their
 * tokens stop working at once. A tenant keeps at least one active admin.
 */
export async function changeUser(user: User, requested: UserChanges, actor: Actor, ctx: OAuthContext): Promise<User> {
  const changes = typeof requested.phoneNumber === 'string' ? { ...requested, phoneNumber: storedPhoneNumber(requested.phoneNumber) } : requested;
  if (changes.role !== undefined && !ROLES.includes(changes.role)) throw new RegistrationError(`The role must be one of ${ROLES.join(', ')}`, 'role');
  const pictureProblem = typeof changes.picture === 'string' ? pictureUrlProblem(changes.picture) : undefined;
  if (pictureProblem) throw new RegistrationError(`The picture URL ${pictureProblem}`, 'picture');
  const losesAdmin = user.role === 'ADMIN' && !user.disabled && ((changes.role !== undefined && changes.role !== 'ADMIN') || changes.disabled === true);
  if (losesAdmin) {
    const admins = (await ctx.store.users.listByTenant(user.tenantId)).filter((u) => u.role === 'ADMIN' && !u.disabled);
    if (admins.length <= 1) throw new RegistrationError('A tenant needs at least one active admin', changes.disabled ? 'disabled' : 'role');
  }
  const now = ctx.clock.now();
  const updated = await ctx.store.users.update(user.id, changes, now);
  if (!updated) throw new RegistrationError(`The user "${user.username}" no longer exists`);
  if (changes.disabled === true && !user.disabled) {
    // Families first, so their revocation says why (user_disabled); then the sessions end, telling their apps.
    await ctx.store.families.revokeWhere({ userId: user.id }, 'user_disabled', now);
    await endSessionsOf(user.id, ctx);
  }
  const what = [
    changes.role !== undefined && changes.role !== user.role && `role ${user.role} → ${changes.role}`,
    changes.disabled !== undefined && changes.disabled !== user.disabled && (changes.disabled ? 'disabled' : 'enabled'),
    changes.platformAdmin !== undefined && changes.platformAdmin !== user.platformAdmin && (changes.platformAdmin ? 'made platform admin' : 'no longer platform admin'),
    changes.picture !== undefined && changes.picture !== user.picture && (changes.picture === null ? 'picture removed' : 'picture set'),
    changes.phoneNumber !== undefined && changes.phoneNumber !== user.phoneNumber && (changes.phoneNumber === null ? 'phone number removed' : 'phone number set'),
  ].filter(Boolean);
  if (what.length > 0) {
    await ctx.audit?.record('user_updated', { tenantId: user.tenantId, userId: actor.userId ?? user.id, origin: actor.origin, detail: `user ${JSON.stringify(user.username)}: ${what.join(', ')}` });
  }
  return updated;
}
