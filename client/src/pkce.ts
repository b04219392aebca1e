// PKCE (RFC 7636) with S256, the `state` and the OpenID Connect `nonce`, from WebCrypto
// (`globalThis.crypto`), which browsers and Node 20 both have. Browsers expose crypto.subtle only on https and localhost.
import { base64url } from './encoding.ts';

export interface PkcePair {
  /** Keep this secret until the code exchange (sessionStorage in a browser). */
  verifier: string;
  /** Send this in the authorize URL. */
  challenge: string;
  method: 'S256';
}

/** globalThis.crypto, or a TypeError saying where it exists. */
export function webCrypto(): Crypto {
  const crypto = globalThis.crypto as Crypto | undefined;
  if (!crypto?.subtle) {
    throw new TypeError('WebCrypto (globalThis.crypto.subtle) is not available: use Node 20+, or a browser page on https or localhost');
  }
  return crypto;
}

function randomBytes(count: number): Uint8Array {
  return webCrypto().getRandomValues(new Uint8Array(count));
}

/** base64url(SHA-256(verifier)): the S256 code challenge. */
export async function codeChallengeS256(verifier: string): Promise<string> {
  const digest = await webCrypto().subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/**
 * A fresh verifier and its S256 challenge. The verifier is `length` characters (43–128, default 64)
 * of base64url, i.e. 6 random bits per character: 43 characters already carry 258 bits.
 */
export async function createPkcePair(options: { length?: number } = {}): Promise<PkcePair> {
  const length = options.length ?? 64;
  if (!Number.isInteger(length) || length < 43 || length > 128) {
    throw new RangeError('a PKCE verifier has 43 to 128 characters (RFC 7636 §4.1)');
  }
  const verifier = base64url(randomBytes(Math.ceil((length * 3) / 4))).slice(0, length);
  return { verifier, challenge: await codeChallengeS256(verifier), method: 'S256' };
}

/** An unguessable `state` (256 bits, base64url) to bind the callback to this browser. */
export function createState(): string {
  return base64url(randomBytes(32));
}

/** An unguessable OpenID Connect `nonce` (256 bits, base64url) to bind the ID token to this sign-in. */
export function createNonce(): string {
  return base64url(randomBytes(32));
}
