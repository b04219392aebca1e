// PKCE (RFC 7636), S256 only, as OAuth 2.1 and RFC 9700 require.
import { invalidGrant, invalidRequest } from './errors.ts';
import { safeEqual, sha256Base64Url } from './secrets.ts';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

/** Checks the authorize request's PKCE parameters; returns the challenge to bind to the code. */
export function parseCodeChallenge(challenge?: string, method?: string): string | undefined {
  if (challenge === undefined) {
    if (method !== undefined) throw invalidRequest('code_challenge_method was sent without code_challenge');
    return undefined;
  }
  if (method !== 'S256') {
    throw invalidRequest('code_challenge_method must be S256 (plain is not supported)');
  }
  if (!CHALLENGE.test(challenge)) {
    throw invalidRequest('code_challenge must be 43 base64url characters (the SHA-256 of the verifier)');
  }
  return challenge;
}

/** Checks the token request's verifier against the challenge the code was bound to. */
export function verifyPkce(challenge: string | null, verifier: string | undefined): void {
  if (challenge === null) {
    if (verifier !== undefined) {
      throw invalidGrant('code_verifier was sent, but the authorization request had no code_challenge');
    }
    return;
  }
  if (verifier === undefined) throw invalidGrant('code_verifier is required for this code');
  if (!VERIFIER.test(verifier)) {
    throw invalidGrant('code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]');
  }
  if (!safeEqual(sha256Base64Url(verifier), challenge)) {
    throw invalidGrant('code_verifier does not match the code_challenge');
  }
}

/** S256 challenge for a verifier (used by tests, the demo and examples). */
export function challengeFor(verifier: string): string {
  return sha256Base64Url(verifier);
}
