// Accounts (tenants) and their users, as every layer sees them.

export interface Tenant {
  id: number;
  slug: string;
  name: string;
  createdAt: Date;
}

/** Whom an account requires a second factor of (docs/security.md, "MFA policy"). */
export const MFA_REQUIRED = ['off', 'admins', 'everyone'] as const;

/** An account's MFA policy; kept apart from Tenant, which never changes once created (and is cached). */
export interface MfaPolicy {
  required: (typeof MFA_REQUIRED)[number];
  /** Consent to a scope ending in `:d` needs a session signed in with a second factor. */
  forDeleteScopes: boolean;
}

export type UserRole = 'STAKEHOLDER' | 'GUEST' | 'RESPONDER' | 'USER' | 'ADMIN';

export interface User {
  id: number;
  tenantId: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  timezone: string;
  position: string;
  department: string;
  avatarUrl: string | null;
  /** OpenID Connect's `picture`: an https URL the user's apps may show (not ilert's avatar); null when unset. */
  picture: string | null;
  /** OpenID Connect's `phone_number`, in E.164 form (`+4915112345678`); null when unset. */
  phoneNumber: string | null;
  language: 'de' | 'en';
  region: string;
  role: UserRole;
  shiftColor: string;
  mutedUntil: Date | null;
  disabled: boolean;
  /** May mark apps verified (set with `gatehouse users set-platform-admin`). */
  platformAdmin: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserWithPassword extends User {
  passwordHash: string;
}

export interface NewUser {
  tenantId: number;
  username: string;
  passwordHash: string;
  email: string;
  firstName: string;
  lastName: string;
  role: UserRole;
  timezone?: string;
  language?: 'de' | 'en';
  region?: string;
  /** E.164, already normalized. */
  phoneNumber?: string | null;
}

/** What changing a user can touch. */
export type UserChanges = Partial<Pick<User, 'role' | 'disabled' | 'platformAdmin' | 'picture' | 'phoneNumber'>>;

