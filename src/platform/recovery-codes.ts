// Recovery codes: ten one-time codes for when the authenticator is lost. Each is 10 characters of
// a 32-character alphabet without look-alikes (50 bits), shown as `xxxx-xxxx-xx`, stored only as the
// SHA-256 of its normalised form: high-entropy codes need no slow hash, and the lookup is by hash,
// so no comparison of the code itself can leak timing.
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../oauth/secrets.ts';

export const RECOVERY_CODE_COUNT = 10;
// 32 characters (5 bits each): no i, l, o or 1, which read alike.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz023456789';
const LENGTH = 10;

/** One code, 50 bits of randomness (5 bits per character). */
function newCode(): string {
  const out = [...randomBytes(LENGTH)].map((byte) => ALPHABET[byte & 31]).join('');
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8)}`;
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
}

/** A code as typed, lower-cased without dashes and spaces; undefined when it cannot be one. */
export function readRecoveryCode(raw: string): string | undefined {
  const code = raw.toLowerCase().replace(/[\s-]/g, '');
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

export const recoveryCodeHash = (normalised: string): string => sha256Hex(`recovery:${normalised}`);
