// Random values and hashing for codes, tokens and secrets. Everything secret is stored only as
// its SHA-256 hash; comparisons of secrets happen in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefixes make a leaked token easy to recognise (and to scan for) at a glance. */
export const TOKEN_PREFIX = {
  authorizationCode: 'ghc_',
  refreshToken: 'ghr_',
  session: 'ghs_',
  deviceCode: 'ghd_',
  pendingSignIn: 'ghp_',
} as const;

/** 256 bits from the CSPRNG, base64url, with a prefix. */
export function randomToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function sha256Base64Url(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest('base64url');
}

/** Constant-time string equality (length leaks, content does not). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
