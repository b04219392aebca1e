// The authorization server's signing keys (JWKS), cached. A token naming a kid we do not hold
// may be signed with a key just rotated in, so the set is fetched again — but at most once per
// cooldown, however many such tokens arrive: a flood of forged kids must not become a flood of
// requests to the server. Keys are also refreshed in the background once they are older than
// maxAge, so keys the server retired stop verifying tokens.
import { importJWK, type CryptoKey, type JWK } from 'jose';
import { callJson, type FetchLike } from './http.ts';

export interface KeySetOptions {
  fetch: FetchLike;
  timeoutMs: number;
  cooldownMs: number;
  maxAgeMs: number;
  now: () => number;
  onError: (error: unknown) => void;
  /** Ends fetches under way when the verifier closes. */
  signal: AbortSignal;
}

const SIGNING_KEY_TYPES = new Set(['RSA', 'EC', 'OKP']);

/** The public signing keys of a JWKS document, by kid; keys without kid, or for encryption, are left out. */
function signingKeys(document: Record<string, unknown>): Map<string, JWK> {
  const keys = new Map<string, JWK>();
  if (!Array.isArray(document.keys)) return keys;
  for (const entry of document.keys as unknown[]) {
    if (entry === null || typeof entry !== 'object') continue;
    const jwk = entry as JWK;
    if (typeof jwk.kid !== 'string' || typeof jwk.kty !== 'string' || !SIGNING_KEY_TYPES.has(jwk.kty)) continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    if ('d' in jwk) continue; // a private key has no business in a JWKS; never verify with one
    keys.set(jwk.kid, jwk);
  }
  return keys;
}

export class KeySet {
  #keys = new Map<string, JWK>();
  /** Imported keys by `kid alg`: importing costs more than verifying. */
  readonly #imported = new Map<string, Promise<CryptoKey | Uint8Array | undefined>>();
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<void> | undefined;
  /** How many times the JWKS was requested; for status and tests. */
  fetches = 0;

  constructor(
    readonly uri: string,
    private readonly options: KeySetOptions,
  ) {}

  get size(): number {
    return this.#keys.size;
  }

  /** Fetches the set now (sharing a fetch already under way); throws when the server cannot give it. */
  refresh(): Promise<void> {
    this.#inFlight ??= this.#fetch().finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  async #fetch(): Promise<void> {
    this.#attemptedAt = this.options.now();
    this.fetches += 1;
    const document = await callJson(this.uri, { fetch: this.options.fetch, timeoutMs: this.options.timeoutMs, signal: this.options.signal });
    const keys = signingKeys(document);
    for (const id of this.#imported.keys()) {
      const kid = id.slice(0, id.lastIndexOf(' '));
      if (JSON.stringify(keys.get(kid)) !== JSON.stringify(this.#keys.get(kid))) this.#imported.delete(id);
    }
    this.#keys = keys;
    this.#fetchedAt = this.options.now();
  }

  /** Starts a background refresh when the keys are older than maxAge; requests keep using the ones held. */
  #refreshIfOld(): void {
    const now = this.options.now();
    if (now - this.#fetchedAt < this.options.maxAgeMs || now - this.#attemptedAt < this.options.cooldownMs) return;
    this.refresh().catch(this.#report);
  }

  /** A failed fetch is reported, unless it failed because the verifier closed. */
  readonly #report = (error: unknown): void => {
    if (!this.options.signal.aborted) this.options.onError(error);
  };

  /** Whether the server still publishes this kid: tokens verified earlier die with their key. */
  has(kid: string): boolean {
    this.#refreshIfOld();
    return this.#keys.has(kid);
  }

  /** The key for a kid and alg, fetching the set again for an unknown kid unless within the cooldown. */
  async key(kid: string, alg: string): Promise<CryptoKey | Uint8Array | undefined> {
    this.#refreshIfOld();
    if (!this.#keys.has(kid)) {
      // A fetch under way may bring the kid; otherwise fetch again unless one was tried lately.
      if (this.#inFlight) await this.#inFlight.catch(() => undefined);
      else if (this.options.now() - this.#attemptedAt >= this.options.cooldownMs) await this.refresh().catch(this.#report);
    }
    const jwk = this.#keys.get(kid);
    if (!jwk || (jwk.alg !== undefined && jwk.alg !== alg)) return undefined;
    const id = `${kid} ${alg}`;
    let imported = this.#imported.get(id);
    if (!imported) {
      // A key that does not fit the alg (an RSA key named by an ES256 token) is no key for it.
      imported = importJWK(jwk, alg).catch(() => undefined);
      this.#imported.set(id, imported);
    }
    return imported;
  }
}
