// What each stored key is doing right now: signing, only verifying (until when), or expired.
// The ring and `gatehouse keys list` share these rules so they never disagree.
import type { SigningKey } from '../domain/signing-key.ts';

export type KeyState = { state: 'signing' } | { state: 'verifying'; until: Date } | { state: 'expired'; since: Date };

/**
 * The signing key: the newest key not retired. `keys` must be ordered as the store lists them
 * (newest first, ties by kid), so every instance picks the same one.
 */
export function pickSigningKey<K extends Pick<SigningKey, 'retiredAt'>>(keys: readonly K[]): K | undefined {
  return keys.find((k) => k.retiredAt === null);
}

/**
 * When a key that no longer signs stops verifying. `windowSeconds` covers the last token it
 * signed: one access-token lifetime, plus the time an instance may take to notice the rotation.
 * An unretired key that lost to a newer one (two instances generated at once) counts as retired
 * when the newer key was created.
 */
export function verifyingUntil(key: SigningKey, signing: SigningKey | undefined, windowSeconds: number): Date {
  const stoppedSigning = key.retiredAt ?? signing?.createdAt ?? key.createdAt;
  return new Date(stoppedSigning.getTime() + windowSeconds * 1000);
}

export function keyState(key: SigningKey, signing: SigningKey | undefined, now: Date, windowSeconds: number): KeyState {
  if (key.kid === signing?.kid) return { state: 'signing' };
  const until = verifyingUntil(key, signing, windowSeconds);
  return until.getTime() > now.getTime() ? { state: 'verifying', until } : { state: 'expired', since: until };
}
