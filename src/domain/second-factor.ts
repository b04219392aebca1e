// Second factors of a user (issue 18): a TOTP authenticator and its recovery codes (passkeys are
// domain/passkey.ts), and the pending sign-in that waits between a correct password and the second step.

/** A user's TOTP authenticator: the secret is kept sealed (AES-256-GCM), never plain. */
export interface TotpFactor {
  userId: number;
  /** The confirmed secret, sealed; null while only an enrolment is pending. */
  secretSealed: string | null;
  /** A new secret shown for enrolment, sealed, until a code confirms it (it then replaces the confirmed one). */
  pendingSealed: string | null;
  confirmedAt: Date | null;
  /** The last 30-second step a code was accepted for: no code of it or an earlier step is accepted again. */
  lastUsedStep: number | null;
}

/** The second step's kinds of factor. */
export type SecondFactorMethod = 'totp' | 'passkey' | 'recovery';
/** The kinds the second step's form takes as a typed code (a passkey answers through its script). */
export type CodeMethod = Exclude<SecondFactorMethod, 'passkey'>;

/** What the password (or the current session, for step-up) proved; the second step finishes it. */
export interface PendingSignIn {
  idHash: string;
  tenantId: number;
  userId: number;
  /** Where to go once signed in: a path on this server. */
  returnTo: string;
  expiresAt: Date;
  /** Wrong codes so far. */
  attempts: number;
}
