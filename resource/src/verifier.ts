// createVerifier: everything a resource server needs to judge a Gatehouse access token. The
// signature, issuer, audience and claim shapes are checked once per token and remembered (an app
// sends one token on every call for up to an hour); expiry, the key still being published, and
// revocation are checked on every use, so a remembered token costs a few map lookups.
import { bearerToken, refusal, type HeaderSource, type Refusal } from './bearer.ts';
import { connect, type Connection } from './connection.ts';
import { failure, type Failure } from './failures.ts';
import { verifySignedToken, type TokenPolicy } from './jwt.ts';
import { LruMap } from './lru.ts';
import { protectedResourceMetadata, type ProtectedResourceMetadata } from './metadata.ts';
import { settingsOf, type Settings, type VerifierOptions } from './options.ts';
import type { RevocationCheck } from './revocation.ts';
import { Scopes, requiredScopes, supportedScopes, type ScopeCatalog, type ScopeRequirement } from './scopes.ts';
import type { AuthResult, AuthenticateOptions, Verified, Verifier, VerifierStatus, VerifyResult } from './verifier-api.ts';

export type { AuthResult, AuthenticateOptions, Verified, Verifier, VerifierStatus, VerifyResult } from './verifier-api.ts';

/** After a failed start, requests are refused at once for this long instead of each trying again. */
const RETRY_START_AFTER_MS = 5000;

class GatehouseVerifier implements Verifier {
  readonly #settings: Settings;
  readonly #policy: TokenPolicy;
  readonly #catalog: ScopeCatalog;
  readonly #verified: LruMap<string, { kid: string; verified: Verified }>;
  /** The answer to each shared failure (failure() hands out one frozen object per reason). */
  readonly #refusals = new WeakMap<Failure, Refusal>();
  readonly #options: VerifierOptions;
  #connection: Connection | undefined;
  #revocation: RevocationCheck | undefined;
  #starting: Promise<Connection> | undefined;
  #failedAt = Number.NEGATIVE_INFINITY;
  #closed = false;
  readonly #abort = new AbortController();
  readonly resourceMetadataPath: string;

  constructor(options: VerifierOptions) {
    this.#options = options;
    this.#settings = settingsOf(options);
    this.#policy = { issuer: this.#settings.issuer, audience: this.#settings.audience, algorithms: this.#settings.algorithms };
    this.#catalog = options.scopes ?? {};
    this.#verified = new LruMap(this.#settings.cacheSize);
    const url = new URL(this.#settings.resourceMetadataUrl);
    this.resourceMetadataPath = `${url.pathname}${url.search}`;
  }

  get issuer(): string {
    return this.#settings.issuer;
  }
  get audience(): string {
    return this.#settings.audience;
  }
  get resourceMetadataUrl(): string {
    return this.#settings.resourceMetadataUrl;
  }

  start(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The verifier is closed'));
    return this.#connect().then(() => undefined);
  }

  #connect(): Promise<Connection> {
    this.#starting ??= connect(this.#settings, this.#abort.signal, (check) => (this.#revocation = check)).then(
      async (connection) => {
        if (this.#closed) await connection.revocation.close(); // closed while starting
        return (this.#connection = connection);
      },
      (error: unknown) => {
        this.#failedAt = this.#settings.now();
        this.#starting = undefined;
        if (!this.#closed) this.#settings.onError(error);
        throw error;
      },
    );
    return this.#starting;
  }

  /** The connection, or undefined when it cannot be had now (closed, or a start that failed lately). */
  async #ready(): Promise<Connection | undefined> {
    if (this.#closed) return undefined;
    if (!this.#starting && this.#settings.now() - this.#failedAt < RETRY_START_AFTER_MS) return undefined;
    return this.#connect().catch(() => undefined);
  }

  async verify(token: string): Promise<VerifyResult> {
    const connection = this.#connection ?? (await this.#ready());
    if (!connection || this.#closed) return failure('unavailable');
    let entry = this.#verified.get(token);
    if (entry && !connection.keys.has(entry.kid)) {
      this.#verified.delete(token); // the server no longer publishes its key
      return failure('unknown_key');
    }
    const nowSeconds = this.#settings.now() / 1000;
    const tolerance = this.#settings.toleranceSeconds;
    if (!entry) {
      const signed = await verifySignedToken(token, connection.keys, this.#policy);
      if (!signed.ok) return failure(signed.reason);
      const verified: Verified = Object.freeze({ ok: true, token, claims: signed.claims, scopes: new Scopes(signed.claims.scope, this.#catalog) });
      entry = { kid: signed.kid, verified };
      if (signed.claims.exp + tolerance > nowSeconds) this.#verified.set(token, entry);
    }
    const { claims } = entry.verified;
    if (claims.exp + tolerance <= nowSeconds) {
      this.#verified.delete(token);
      return failure('expired');
    }
    if (claims.nbf !== undefined && claims.nbf - tolerance > nowSeconds) return failure('not_yet_valid');
    const pending = connection.revocation.check(token, claims);
    const verdict = typeof pending === 'string' ? pending : await pending;
    return verdict === 'ok' ? entry.verified : failure(verdict);
  }

  async authenticate(headers: HeaderSource, options: AuthenticateOptions = {}): Promise<AuthResult> {
    const found = bearerToken(headers, options.url);
    if ('reason' in found) return this.refusal(failure(found.reason));
    const result = await this.verify(found.token);
    if (!result.ok) return this.refusal(result);
    if (options.scope === undefined) return result;
    return this.checkScope(result, options.scope, options.method) ?? result;
  }

  checkScope(auth: Verified, requirement: ScopeRequirement, method = 'GET'): Refusal | undefined {
    const required = requiredScopes(requirement, method);
    if (auth.scopes.missing(required).length === 0) return undefined;
    return this.refusal(failure('insufficient_scope', required.join(' ')));
  }

  refusal(cause: Failure): Refusal {
    if (cause.scope !== undefined) return refusal(cause, this.#challengeContext());
    let known = this.#refusals.get(cause);
    if (!known) this.#refusals.set(cause, (known = Object.freeze(refusal(cause, this.#challengeContext()))));
    return known;
  }

  #challengeContext() {
    return { resourceMetadataUrl: this.#settings.resourceMetadataUrl, ...(this.#options.realm === undefined ? {} : { realm: this.#options.realm }) };
  }

  metadata(): ProtectedResourceMetadata {
    const { scopes, resourceName, resourceDocumentation } = this.#options;
    return protectedResourceMetadata({
      resource: this.#settings.audience,
      authorizationServers: [this.#settings.issuer],
      ...(scopes ? { scopesSupported: supportedScopes(scopes) } : {}),
      ...(resourceName === undefined ? {} : { resourceName }),
      ...(resourceDocumentation === undefined ? {} : { resourceDocumentation }),
    });
  }

  status(): VerifierStatus {
    const keys = this.#connection?.keys;
    return {
      ready: this.#connection !== undefined,
      closed: this.#closed,
      keys: keys?.size ?? 0,
      jwksFetches: keys?.fetches ?? 0,
      cachedTokens: this.#verified.size,
      revocation: this.#revocation?.status(),
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#abort.abort();
    await this.#revocation?.close();
    // A start under way ends (its calls were aborted) and closes what it started.
    await this.#starting?.catch(() => undefined);
  }
}

/** A verifier for one resource's tokens from one authorization server. Throws ResourceKitError for bad options. */
export function createVerifier(options: VerifierOptions): Verifier {
  return new GatehouseVerifier(options);
}
