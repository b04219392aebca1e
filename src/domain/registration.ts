// Dynamic client registration (RFC 7591/7592): who may register, and the initial access tokens
// that `GATEHOUSE_REGISTRATION=token` asks for (docs/registration.md).

/** 'off': nobody registers; 'token': with an initial access token; 'open': anyone, rate limited per address. */
export type RegistrationPolicy = 'off' | 'token' | 'open';
export const REGISTRATION_POLICIES: readonly RegistrationPolicy[] = ['off', 'token', 'open'];

/** What the protocol needs to know of the policy. */
export interface RegistrationSettings {
  policy: RegistrationPolicy;
  /** Dynamically registered clients unused for this many days are deleted by housekeeping; 0: never. */
  purgeDays: number;
}

export const DEFAULT_REGISTRATION: RegistrationSettings = { policy: 'off', purgeDays: 30 };

/** An initial access token as the operator sees it (never the token itself: only its hash is stored). */
export interface InitialAccessToken {
  id: number;
  label: string;
  /** How many registrations it allows; null: any number until it expires or is revoked. */
  maxUses: number | null;
  useCount: number;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewInitialAccessToken {
  tokenHash: string;
  label: string;
  maxUses: number | null;
  expiresAt: Date | null;
}
