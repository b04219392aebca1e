// User codes (RFC 8628 §6.1): what a person types on /device. Eight letters from an alphabet
// without vowels (no words) or look-alikes (no 0/O, 1/I), shown XXXX-XXXX; typed in any case,
// with or without the dash or spaces. 20^8 ≈ 2.6·10^10 codes; guessing is rate limited besides.
import { randomInt } from 'node:crypto';
import { sha256Hex } from './secrets.ts';

export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;

/** A new user code, normalized (8 letters, no dash). */
export function newUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** The code as a person reads it: XXXX-XXXX. */
export const formatUserCode = (normalized: string): string => `${normalized.slice(0, 4)}-${normalized.slice(4)}`;

/** What a person typed, normalized (upper case, dashes and spaces dropped); undefined when it cannot be a user code. */
export function normalizeUserCode(typed: string): string | undefined {
  if (typed.length > 64) return undefined;
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  return new RegExp(`^[${USER_CODE_ALPHABET}]{${USER_CODE_LENGTH}}$`).test(code) ? code : undefined;
}

/** What the store keeps of a user code: the hash of its normalized form. */
export const userCodeHash = (normalized: string): string => sha256Hex(normalized);
