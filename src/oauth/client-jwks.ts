// The public keys of a private_key_jwt client: the JWKS it registered, or the one it publishes at
// its jwks_uri. A published set is fetched with a time and size bound and no redirects, kept a few
// minutes, fetched again for an unknown `kid` at most every REFETCH_COOLDOWN_MS per URL, and kept
// past its time while the URL fails (a client's key server hiccup should not lock it out).
import type { JsonWebKeySet } from '../domain/app.ts';
import { LruMap } from '../lru-map.ts';
import type { OAuthContext } from './context.ts';

export const JWKS_FETCH_TIMEOUT_MS = 3000;
export const JWKS_MAX_BYTES = 64 * 1024;
export const JWKS_FRESH_MS = 5 * 60_000;
export const REFETCH_COOLDOWN_MS = 30_000;
const STALE_IF_ERROR_MS = 60 * 60_000;

/** Why a published key set could not be read; its message is safe to show the client. */
export class JwksUnavailable extends Error {
  override readonly name = 'JwksUnavailable';
}

/** Gets a key set from a URL. Replaceable: a guarded fetcher (no private addresses) can take its place. */
export type JwksFetcher = (url: string) => Promise<JsonWebKeySet>;

/** GET the URL: JSON of at most JWKS_MAX_BYTES within JWKS_FETCH_TIMEOUT_MS, redirects refused. */
export const fetchJwks: JwksFetcher = async (url) => {
  let text: string;
  try {
    const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS), headers: { accept: 'application/jwk-set+json, application/json' } });
    if (!response.ok) throw new JwksUnavailable(`answered HTTP ${response.status}`);
    text = await boundedText(response);
  } catch (error) {
    if (error instanceof JwksUnavailable) throw error;
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new JwksUnavailable(timedOut ? `did not answer within ${JWKS_FETCH_TIMEOUT_MS / 1000} s` : 'could not be reached (or redirected)');
  }
  return parseJwks(text);
};

async function boundedText(response: Response): Promise<string> {
  if (Number(response.headers.get('content-length') ?? 0) > JWKS_MAX_BYTES) throw new JwksUnavailable(`is larger than ${JWKS_MAX_BYTES} bytes`);
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > JWKS_MAX_BYTES) {
      await reader.cancel();
      throw new JwksUnavailable(`is larger than ${JWKS_MAX_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJwks(text: string): JsonWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new JwksUnavailable('is not JSON');
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.some((key) => key === null || typeof key !== 'object' || Array.isArray(key))) throw new JwksUnavailable('is not a JWK Set ({"keys": [...]})');
  return { keys: keys as Record<string, unknown>[] };
}

interface Entry {
  set: JsonWebKeySet;
  fetchedAt: number;
}

/** One process's published key sets, by URL. */
export class ClientKeyCache {
  readonly #entries = new LruMap<string, Entry>(1000);
  readonly #attempts = new LruMap<string, number>(1000);
  readonly #inFlight = new Map<string, Promise<JsonWebKeySet>>();

  constructor(
    private readonly fetcher: JwksFetcher,
    private readonly now: () => number,
  ) {}

  /** The set at the URL: the cached one while fresh, else fetched. */
  async keys(url: string): Promise<JsonWebKeySet> {
    const entry = this.#entries.get(url);
    if (entry && this.now() - entry.fetchedAt < JWKS_FRESH_MS) return entry.set;
    return this.#fetch(url, entry);
  }

  /**
   * The set fetched again (a `kid` the cached one lacks: the client rotated its keys), or
   * undefined when this URL was fetched too recently to ask again.
   */
  async refetched(url: string): Promise<JsonWebKeySet | undefined> {
    const last = this.#attempts.get(url);
    if (last !== undefined && this.now() - last < REFETCH_COOLDOWN_MS) return undefined;
    return this.#fetch(url, this.#entries.get(url));
  }

  #fetch(url: string, stale: Entry | undefined): Promise<JsonWebKeySet> {
    const running = this.#inFlight.get(url);
    if (running) return running;
    const last = this.#attempts.get(url);
    // A URL asked moments ago is not asked again: many requests must not become many fetches.
    if (last !== undefined && this.now() - last < REFETCH_COOLDOWN_MS) {
      if (stale && this.now() - stale.fetchedAt < STALE_IF_ERROR_MS) return Promise.resolve(stale.set);
      return Promise.reject(new JwksUnavailable('failed moments ago; try again shortly'));
    }
    this.#attempts.set(url, this.now());
    const work = this.fetcher(url)
      .then((set) => {
        this.#entries.set(url, { set, fetchedAt: this.now() });
        return set;
      })
      .catch((error: unknown) => {
        if (stale && this.now() - stale.fetchedAt < STALE_IF_ERROR_MS) return stale.set;
        throw error;
      })
      .finally(() => this.#inFlight.delete(url));
    this.#inFlight.set(url, work);
    return work;
  }
}

const caches = new WeakMap<OAuthContext, ClientKeyCache>();

/** The context's cache, made on first use; `fetcher` (tests, a guarded fetcher) only then. */
export function clientKeysFor(ctx: OAuthContext, fetcher: JwksFetcher = fetchJwks): ClientKeyCache {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = new ClientKeyCache(fetcher, () => ctx.clock.now().getTime())));
  return cache;
}
