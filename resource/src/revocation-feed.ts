// Follows Gatehouse's revocation feed: one long-poll loop per verifier. The first call (no cursor)
// returns every revocation that can still matter; each next one waits until an entry arrives, so a
// revocation reaches the verifier within a round trip. Revoked families are kept until their
// tokens would have expired. Calls that fail back off; when the feed has been silent too long the
// verdict becomes `unavailable` (fail closed), since a revocation may have been missed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccessTokenClaims } from './claims.ts';
import { AuthorizationServerError } from './failures.ts';
import { basicAuthorization, callJson, type Credentials, type FetchLike, type JsonObject } from './http.ts';
import type { FeedState, RevocationCheck, RevocationStatus, RevocationVerdict } from './revocation.ts';

export interface FeedOptions {
  endpoint: string;
  credentials: Credentials;
  fetch: FetchLike;
  now: () => number;
  onError: (error: unknown) => void;
  waitSeconds: number;
  failClosedAfterMs: number;
  retentionMs: number;
  /** For a call's answer beyond its wait. */
  timeoutMs: number;
}

interface Page {
  revocations: { fid?: string; jti?: string; revokedAt: number }[];
  cursor: string;
  hasMore: boolean;
  resourceDeleted: boolean;
}

const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 30_000;
/** A server that answers an empty long poll at once (not holding it) is polled at most this often. */
const MIN_EMPTY_POLL_MS = 1000;
const PRUNE_EVERY_MS = 60_000;

function pageOf(body: JsonObject, url: string, now: number): Page {
  const { revocations, cursor, has_more, resource_deleted } = body;
  if (!Array.isArray(revocations) || typeof cursor !== 'string') throw new AuthorizationServerError(`${url} answered without revocations and a cursor`);
  const entries: Page['revocations'] = [];
  for (const entry of revocations as unknown[]) {
    if (entry === null || typeof entry !== 'object') continue;
    const { fid, jti, revoked_at } = entry as Record<string, unknown>;
    const revokedAt = typeof revoked_at === 'number' && Number.isFinite(revoked_at) ? revoked_at * 1000 : now;
    const item = { ...(typeof fid === 'string' ? { fid } : {}), ...(typeof jti === 'string' ? { jti } : {}), revokedAt };
    if (item.fid !== undefined || item.jti !== undefined) entries.push(item);
  }
  return { revocations: entries, cursor, hasMore: has_more === true, resourceDeleted: resource_deleted === true };
}

export class RevocationFeed implements RevocationCheck {
  /** fid → revoked at (ms); every token of the family is refused. */
  readonly #families = new Map<string, number>();
  /** jti → revoked at (ms), for entries that name a single token. */
  readonly #tokens = new Map<string, number>();
  readonly #abort = new AbortController();
  #state: FeedState = 'idle';
  #cursor: string | undefined;
  #hasMore = false;
  #lastSyncAt: number | undefined;
  #errors = 0;
  #prunedAt = 0;
  #firstAttempt: Promise<void> | undefined;
  #loop: Promise<void> | undefined;

  constructor(private readonly options: FeedOptions) {}

  start(): Promise<void> {
    if (this.#firstAttempt) return this.#firstAttempt;
    this.#state = 'starting';
    this.#firstAttempt = new Promise((attempted) => {
      this.#loop = this.#run(attempted);
    });
    return this.#firstAttempt;
  }

  async #run(attempted: () => void): Promise<void> {
    try {
      await this.#follow(attempted);
    } finally {
      attempted(); // closed before a first answer: start() must not wait forever
    }
  }

  async #follow(attempted: () => void): Promise<void> {
    while (!this.#abort.signal.aborted) {
      // Pacing uses the monotonic clock: the injectable one is for token times and staleness.
      const started = performance.now();
      try {
        const { page, waited } = await this.#poll();
        this.#apply(page);
        attempted();
        if (page.resourceDeleted) return;
        const elapsed = performance.now() - started;
        if (waited && page.revocations.length === 0 && elapsed < MIN_EMPTY_POLL_MS) await this.#pause(MIN_EMPTY_POLL_MS - elapsed);
      } catch (error) {
        if (this.#abort.signal.aborted) break;
        // A cursor the server no longer knows: start over from a fresh snapshot.
        if (error instanceof AuthorizationServerError && error.status === 400) this.#cursor = undefined;
        this.#errors += 1;
        this.#state = 'failing';
        this.options.onError(error);
        attempted();
        const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (this.#errors - 1));
        await this.#pause(ceiling / 2 + Math.random() * (ceiling / 2)); // jitter: many verifiers do not retry in step
      }
    }
  }

  async #pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.#abort.signal }).catch(() => undefined);
  }

  /** One call; `waited` when it was a long poll (the server was asked to hold it). */
  async #poll(): Promise<{ page: Page; waited: boolean }> {
    const url = new URL(this.options.endpoint);
    let wait = 0;
    if (this.#cursor !== undefined) {
      url.searchParams.set('after', this.#cursor);
      // has_more: the rest is there already, so ask without waiting.
      wait = this.#hasMore ? 0 : this.options.waitSeconds;
    }
    url.searchParams.set('wait', String(wait));
    const body = await callJson(url.href, {
      fetch: this.options.fetch,
      timeoutMs: wait * 1000 + this.options.timeoutMs,
      signal: this.#abort.signal,
      headers: { authorization: basicAuthorization(this.options.credentials), 'cache-control': 'no-store' },
    });
    return { page: pageOf(body, this.options.endpoint, this.options.now()), waited: wait > 0 };
  }

  #apply(page: Page): void {
    for (const { fid, jti, revokedAt } of page.revocations) {
      if (fid !== undefined) this.#families.set(fid, revokedAt);
      if (jti !== undefined) this.#tokens.set(jti, revokedAt);
    }
    this.#cursor = page.cursor;
    this.#hasMore = page.hasMore;
    this.#lastSyncAt = this.options.now();
    this.#errors = 0;
    this.#state = page.resourceDeleted ? 'deleted' : 'live';
    this.#prune();
  }

  /** Forgets revocations whose tokens have all expired by now. */
  #prune(): void {
    const now = this.options.now();
    if (now - this.#prunedAt < PRUNE_EVERY_MS) return;
    this.#prunedAt = now;
    for (const entries of [this.#families, this.#tokens]) {
      for (const [id, revokedAt] of entries) if (revokedAt + this.options.retentionMs < now) entries.delete(id);
    }
  }

  check(_token: string, claims: AccessTokenClaims): RevocationVerdict {
    if (this.#state === 'deleted') return 'resource_deleted';
    if (this.#families.has(claims.fid) || this.#tokens.has(claims.jti)) return 'revoked';
    if (this.options.failClosedAfterMs === Number.POSITIVE_INFINITY) return 'ok';
    if (this.#lastSyncAt === undefined || this.options.now() - this.#lastSyncAt > this.options.failClosedAfterMs) return 'unavailable';
    return 'ok';
  }

  status(): RevocationStatus {
    return {
      mode: 'feed',
      state: this.#state,
      lastSyncAt: this.#lastSyncAt,
      revokedFamilies: this.#families.size,
      revokedTokens: this.#tokens.size,
      consecutiveErrors: this.#errors,
    };
  }

  async close(): Promise<void> {
    this.#abort.abort();
    if (this.#state !== 'deleted') this.#state = 'closed';
    await this.#loop;
  }
}
