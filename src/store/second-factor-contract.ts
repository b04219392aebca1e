// The store's part for second factors (issue 18): TOTP enrolment and its replay guard, recovery
// codes, pending sign-ins. Whatever a race could break is one statement here.
import type { PendingSignIn, TotpFactor } from '../domain/second-factor.ts';

export interface SecondFactors {
  /** The user's TOTP row (confirmed, pending, or both), if any. */
  totp(userId: number): Promise<TotpFactor | undefined>;
  /** Keeps a new sealed secret as the pending enrolment (replacing an earlier pending one); a confirmed secret stays until this one is confirmed. */
  startTotp(userId: number, pendingSealed: string): Promise<void>;
  /**
   * Makes the pending secret the confirmed one, with `step` as its last used step, in one
   * statement that holds only while the pending secret is still `pendingSealed`; false otherwise.
   */
  confirmTotp(userId: number, pendingSealed: string, step: number, now: Date): Promise<boolean>;
  /** Records `step` as used if it is later than the last used one, in one statement: false means a replay (or no confirmed TOTP). */
  useTotpStep(userId: number, step: number): Promise<boolean>;
  /** Removes the TOTP and every recovery code; false when there was none. */
  removeTotp(userId: number): Promise<boolean>;
  /** Replaces every recovery code of the user with these hashes (old ones die), in one transaction. */
  replaceRecoveryCodes(userId: number, codeHashes: readonly string[], now: Date): Promise<void>;
  /** Marks an unused code used, in one statement; false when it is unknown or used already. */
  useRecoveryCode(userId: number, codeHash: string, now: Date): Promise<boolean>;
  /** Unused recovery codes of the user. */
  recoveryCodesLeft(userId: number): Promise<number>;
}

export interface PendingSignIns {
  /** Stores a pending sign-in; expired ones are swept away in passing. */
  create(pending: Omit<PendingSignIn, 'attempts'>, now: Date): Promise<void>;
  /** The pending sign-in, while it has not expired. */
  byIdHash(idHash: string, now: Date): Promise<PendingSignIn | undefined>;
  /** Counts one wrong code, in one statement; the attempts so far, or undefined when it is gone or expired. */
  countFailure(idHash: string, now: Date): Promise<number | undefined>;
  /** Deletes and returns it in one statement, so only one request finishes a pending sign-in. */
  take(idHash: string, now: Date): Promise<PendingSignIn | undefined>;
  delete(idHash: string): Promise<void>;
}
