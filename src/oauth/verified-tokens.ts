// Access tokens whose signature this process has already checked. An app sends the same token on
// every call for up to an hour; checking its RSA signature each time is most of what token_info
// and the API cost. Only the signature is remembered: expiry, issuer, audience, the key still
// being accepted, and revocation are checked on every use.
import type { AccessTokenClaims } from './access-token.ts';

export const MAX_VERIFIED_TOKENS = 4096;

export class VerifiedTokens {
  // Insertion order is use order: the first entry is the least recently used.
  readonly #claims = new Map<string, { kid: string; claims: AccessTokenClaims }>();

  constructor(private readonly capacity = MAX_VERIFIED_TOKENS) {}

  get(token: string): { kid: string; claims: AccessTokenClaims } | undefined {
    const entry = this.#claims.get(token);
    if (entry) {
      this.#claims.delete(token);
      this.#claims.set(token, entry);
    }
    return entry;
  }

  remember(token: string, kid: string, claims: AccessTokenClaims): void {
    this.#claims.set(token, { kid, claims });
    if (this.#claims.size > this.capacity) this.#claims.delete(this.#claims.keys().next().value as string);
  }

  get size(): number {
    return this.#claims.size;
  }
}
