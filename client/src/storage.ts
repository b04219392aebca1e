// Where a TokenManager keeps its tokens. An adapter may be synchronous (memory, sessionStorage)
// or asynchronous (a server-side session store, Redis, a database).
import type { TokenSet } from './tokens.ts';

export interface TokenStorage {
  load(): TokenSet | undefined | Promise<TokenSet | undefined>;
  save(tokens: TokenSet): void | Promise<void>;
  clear(): void | Promise<void>;
}

/** Tokens in a variable: for servers (one manager per user session) and tests. */
export class MemoryTokenStorage implements TokenStorage {
  private tokens: TokenSet | undefined;
  constructor(initial?: TokenSet) {
    this.tokens = initial;
  }
  load(): TokenSet | undefined {
    return this.tokens;
  }
  save(tokens: TokenSet): void {
    this.tokens = tokens;
  }
  clear(): void {
    this.tokens = undefined;
  }
}

/** The part of the Web Storage API the adapter uses (sessionStorage, localStorage, or a stand-in). */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const optionalNumber = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

/** Accepts only what a TokenSet looks like: storage is outside our control (other code, old versions). */
export function isTokenSet(value: unknown): value is TokenSet {
  if (value === null || typeof value !== 'object') return false;
  const t = value as Record<string, unknown>;
  return (
    typeof t.accessToken === 'string' &&
    t.tokenType === 'Bearer' &&
    optionalNumber(t.expiresAt) &&
    optionalString(t.scope) &&
    optionalString(t.refreshToken) &&
    optionalNumber(t.refreshTokenExpiresAt)
  );
}

/**
 * Tokens in sessionStorage (the default) or another Web Storage, as JSON under one key.
 * sessionStorage lives as long as the tab and is not shared between tabs, so each tab refreshes
 * on its own; unreadable or foreign content counts as no tokens.
 */
export class WebStorageTokenStorage implements TokenStorage {
  constructor(
    private readonly key = 'gatehouse.tokens',
    private readonly storage: WebStorageLike = globalThis.sessionStorage,
  ) {
    if (!storage) throw new TypeError('no Web Storage here: pass one, or use MemoryTokenStorage');
  }
  load(): TokenSet | undefined {
    const raw = this.storage.getItem(this.key);
    if (raw === null) return undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      return isTokenSet(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  save(tokens: TokenSet): void {
    this.storage.setItem(this.key, JSON.stringify(tokens));
  }
  clear(): void {
    this.storage.removeItem(this.key);
  }
}

