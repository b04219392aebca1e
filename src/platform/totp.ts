// TOTP (RFC 6238) as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. The
// secret is sealed at rest under a key derived from GATEHOUSE_SECRET for this purpose alone; a
// code is accepted one step either side of now, and the step it matched is what the replay guard
// records (src/store/areas/second-factors.ts).
import { Secret, TOTP } from 'otpauth';
import { decrypt, encrypt, type Purpose } from '../keys/encryption.ts';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of now: a clock a little off, a code typed as it changed. */
export const TOTP_WINDOW = 1;

const TOTP_SECRETS: Purpose = { info: 'gatehouse totp secret v1', failure: 'cannot open the TOTP secret: GATEHOUSE_SECRET differs from the one it was sealed with' };

/** The key material the secret is sealed under (the server's token key, itself HKDF of GATEHOUSE_SECRET). */
const sealingSecret = (tokenKey: Buffer): string => tokenKey.toString('base64url');

/** A new random secret (160 bits, RFC 4226's recommendation), base32 as apps type it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function sealTotpSecret(base32: string, tokenKey: Buffer): string {
  return encrypt(base32, sealingSecret(tokenKey), TOTP_SECRETS);
}

export function openTotpSecret(sealed: string, tokenKey: Buffer): string {
  return decrypt(sealed, sealingSecret(tokenKey), TOTP_SECRETS);
}

const totp = (base32: string, label = 'user', issuer = 'Gatehouse') =>
  new TOTP({ issuer, label, algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(base32) });

/** The `otpauth://totp/…` URI a QR code carries. */
export function totpUri(base32: string, label: string, issuer: string): string {
  return totp(base32, label, issuer).toString();
}

/** The secret in groups of four, for typing it in by hand. */
export const groupedSecret = (base32: string): string => base32.replace(/(.{4})(?=.)/g, '$1 ');

/** The time step of an instant. */
export const stepAt = (now: Date): number => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);

/** A code as typed: digits only, spaces allowed between them; anything else is no code. */
export function readTotpCode(raw: string): string | undefined {
  const code = raw.replace(/[\s-]/g, '');
  return new RegExp(`^[0-9]{${TOTP_DIGITS}}$`).test(code) ? code : undefined;
}

/** The time step the code belongs to, within the window around `now`; undefined when it matches none. */
export function matchingStep(base32: string, code: string, now: Date): number | undefined {
  const delta = totp(base32).validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
  return delta === null ? undefined : stepAt(now) + delta;
}

/** The code of a step (for tests and the e2e check). */
export function codeAt(base32: string, at: Date): string {
  return totp(base32).generate({ timestamp: at.getTime() });
}
