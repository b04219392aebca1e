// The claims Gatehouse states about a user (OpenID Connect Core §5.1), for UserInfo and for ID
// tokens that ask for them by name (the `claims` parameter): one place that reads them off a User.
import type { User } from '../domain/identity.ts';

/** Selected by the `profile` scope (with `openid`). */
export const PROFILE_CLAIMS = ['name', 'given_name', 'family_name', 'preferred_username', 'picture', 'locale', 'zoneinfo', 'updated_at'] as const;
/** Selected by the `email` scope. */
export const EMAIL_CLAIMS = ['email', 'email_verified'] as const;
/** Selected by the `phone` scope. */
export const PHONE_CLAIMS = ['phone_number', 'phone_number_verified'] as const;
/** Every user claim there is: the scoped ones, and the user's account (`tenant`). */
export const USER_CLAIMS = [...PROFILE_CLAIMS, ...EMAIL_CLAIMS, ...PHONE_CLAIMS, 'tenant'] as const;
export type UserClaimName = (typeof USER_CLAIMS)[number];

export interface UserClaims {
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  picture?: string;
  locale?: string;
  zoneinfo?: string;
  updated_at?: number;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  tenant?: string;
}

const KNOWN = new Set<string>(USER_CLAIMS);
export const isUserClaim = (name: string): name is UserClaimName => KNOWN.has(name);

/** Every claim the user has a value for; `tenant` is the slug of the user's account. */
function allClaims(user: User, tenant: string): UserClaims {
  const name = `${user.firstName} ${user.lastName}`.trim();
  return {
    ...(name === '' ? {} : { name }),
    ...(user.firstName === '' ? {} : { given_name: user.firstName }),
    ...(user.lastName === '' ? {} : { family_name: user.lastName }),
    preferred_username: user.username,
    ...(user.picture === null ? {} : { picture: user.picture }),
    locale: user.region === '' ? user.language : `${user.language}-${user.region}`,
    ...(user.timezone === '' ? {} : { zoneinfo: user.timezone }),
    updated_at: Math.floor(user.updatedAt.getTime() / 1000),
    // No address verification exists yet: email_verified is honest at false.
    ...(user.email === '' ? {} : { email: user.email, email_verified: false }),
    // Nor are phone numbers verified; without a number there is neither claim.
    ...(user.phoneNumber === null ? {} : { phone_number: user.phoneNumber, phone_number_verified: false }),
    tenant,
  };
}

/** The named claims the user has a value for (unknown names are skipped). */
export function userClaims(user: User, tenant: string, names: Iterable<string>): UserClaims {
  const all = allClaims(user, tenant) as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const name of names) if (isUserClaim(name) && all[name] !== undefined) picked[name] = all[name];
  return picked as UserClaims;
}
