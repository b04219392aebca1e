// The store's part of passkeys (Store['passkeys'], Store['webauthnChallenges']; docs/security.md):
// a user's credentials, and the challenges of their ceremonies, each taken at most once.
import type { NewPasskey, Passkey, WebAuthnChallenge, WebAuthnPurpose } from '../domain/passkey.ts';

export interface Passkeys {
  /** Stores a credential; undefined when its credential id is registered already (to anyone). */
  add(passkey: NewPasskey): Promise<Passkey | undefined>;
  /** The user's passkeys, oldest first. */
  listForUser(userId: number): Promise<Passkey[]>;
  byCredentialId(credentialId: string): Promise<Passkey | undefined>;
  /** Renames one of the user's passkeys; false when the user has no such passkey. */
  rename(userId: number, id: number, name: string): Promise<boolean>;
  /** Deletes one of the user's passkeys and returns it; undefined when there was none. */
  remove(userId: number, id: number): Promise<Passkey | undefined>;
  /**
   * Records a use, in one statement, only if `signCount` is above the stored counter (or both are
   * 0: an authenticator that keeps no counter): of two uses of one assertion, one wins. False: a
   * replayed or lower counter, or the passkey is gone.
   */
  recordUse(id: number, signCount: number, backedUp: boolean, now: Date): Promise<boolean>;
}

export interface WebAuthnChallenges {
  /** Leaves a challenge for its binding and purpose, replacing one left there before. */
  put(challenge: WebAuthnChallenge): Promise<void>;
  /** Deletes and returns the binding's challenge for the purpose, in one statement; undefined when none or expired. */
  take(binding: string, purpose: WebAuthnPurpose, now: Date): Promise<WebAuthnChallenge | undefined>;
  /** Deletes challenges expired at `now`, at most `batchSize`; returns how many. */
  prune(now: Date, batchSize?: number): Promise<number>;
}
