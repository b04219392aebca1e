// Revocation by introspection (RFC 7662): the verifier asks the authorization server whether a
// token is still active, with the resource's credentials, and reuses the answer for a few seconds
// (never past the token's expiry). Concurrent requests with one token share one call. When the
// server cannot be asked, the verdict is `unavailable`: fail closed, uncached.
import type { AccessTokenClaims } from './claims.ts';
import { basicAuthorization, callJson, type Credentials, type FetchLike } from './http.ts';
import { LruMap } from './lru.ts';
import type { RevocationCheck, RevocationStatus, RevocationVerdict } from './revocation.ts';

export interface IntrospectionOptions {
  endpoint: string;
  credentials: Credentials;
  audience: string;
  fetch: FetchLike;
  now: () => number;
  onError: (error: unknown) => void;
  cacheMs: number;
  cacheSize: number;
  timeoutMs: number;
}

export class Introspection implements RevocationCheck {
  readonly #answers: LruMap<string, { active: boolean; until: number }>;
  readonly #inFlight = new Map<string, Promise<RevocationVerdict>>();
  #calls = 0;
  #errors = 0;

  constructor(private readonly options: IntrospectionOptions) {
    this.#answers = new LruMap(options.cacheSize);
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  check(token: string, claims: AccessTokenClaims): RevocationVerdict | Promise<RevocationVerdict> {
    const cached = this.#answers.get(token);
    if (cached && cached.until > this.options.now()) return cached.active ? 'ok' : 'inactive';
    let pending = this.#inFlight.get(token);
    if (!pending) {
      pending = this.#ask(token, claims).finally(() => this.#inFlight.delete(token));
      this.#inFlight.set(token, pending);
    }
    return pending;
  }

  async #ask(token: string, claims: AccessTokenClaims): Promise<RevocationVerdict> {
    this.#calls += 1;
    let active: boolean;
    try {
      const body = await callJson(this.options.endpoint, {
        method: 'POST',
        fetch: this.options.fetch,
        timeoutMs: this.options.timeoutMs,
        headers: { authorization: basicAuthorization(this.options.credentials), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      });
      // An active answer for another audience is not an answer about this resource's token.
      active = body.active === true && (body.aud === undefined || body.aud === this.options.audience);
    } catch (error) {
      this.#errors += 1;
      this.options.onError(error);
      return 'unavailable';
    }
    const now = this.options.now();
    this.#answers.set(token, { active, until: Math.min(now + this.options.cacheMs, claims.exp * 1000) });
    return active ? 'ok' : 'inactive';
  }

  status(): RevocationStatus {
    return { mode: 'introspection', cached: this.#answers.size, calls: this.#calls, errors: this.#errors };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
