// Who the relying party is for passkeys (docs/security.md): its RP id is PUBLIC_URL's hostname, so
// a passkey made on the public host works on every tenant host (its subdomains) too, and each
// ceremony expects the origin of the host it runs on. Also the refusal every ceremony throws, and
// what a passkey's use says of the sign-in (RFC 8176 `amr`).
import { createHmac } from 'node:crypto';
import type { Passkey } from '../../domain/passkey.ts';
import type { User } from '../../domain/identity.ts';
import type { OAuthContext } from '../../oauth/context.ts';

/** Seconds a browser has to answer a challenge. */
export const CHALLENGE_SECONDS = 300;

/** A ceremony refused: the message is for the person, and nothing was changed. */
export class PasskeyError extends Error {
  constructor(message: string, readonly status: 400 | 403 = 400) {
    super(message);
    this.name = 'PasskeyError';
  }
}

/** The RP id: PUBLIC_URL's hostname. */
export const rpId = (ctx: OAuthContext): string => new URL(ctx.issuer).hostname;

/**
 * The origin a response must come from: PUBLIC_URL's on the public host, `{scheme}://{tenant}.{host}`
 * on a tenant host (`hostTenant`, as the HTTP layer read it from the request's host name).
 */
export function expectedOrigin(ctx: OAuthContext, hostTenant: string | undefined): string {
  const issuer = new URL(ctx.issuer);
  return hostTenant === undefined ? issuer.origin : `${issuer.protocol}//${hostTenant}.${issuer.host}`;
}

/**
 * The WebAuthn user handle of a user: a keyed hash of their id, the same for all their passkeys (so
 * an authenticator keeps one per account), and telling nothing about them.
 */
export function userHandle(user: Pick<User, 'id'>, ctx: OAuthContext): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHmac('sha256', ctx.tokenKey).update(`webauthn-user-handle:${user.id}`).digest());
}

/** The binding of a challenge to a signed-in session (its id hash). */
export const sessionBinding = (sessionIdHash: string): string => `session:${sessionIdHash}`;
/** The binding of a challenge to a browser not signed in yet (the hash of a cookie it holds). */
export const browserBinding = (cookieHash: string): string => `browser:${cookieHash}`;
/** The binding of a second factor's challenge to one pending sign-in (the hash of its cookie, as the store keeps it). */
export const pendingSignInBinding = (pendingIdHash: string): string => `pending:${pendingIdHash}`;

/**
 * What using the passkey says of a sign-in, in RFC 8176's words: `hwk` for a device-bound
 * credential (proof of a key held in hardware), `swk` for a synced one (its key leaves the device,
 * as a software key's does); with user verification (a PIN or biometric on the authenticator)
 * also `user` and, as possession and knowledge or inherence together, `mfa`.
 */
export function passkeyAmr(passkey: Pick<Passkey, 'deviceType'>, userVerified: boolean): string[] {
  const key = passkey.deviceType === 'multiDevice' ? 'swk' : 'hwk';
  return userVerified ? [key, 'user', 'mfa'] : [key];
}
