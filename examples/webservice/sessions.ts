// Server-side state of the example web service, in memory: authorizations under way (PKCE
// verifier by state) and signed-in sessions (a TokenManager each). A restart forgets both.
import { randomBytes } from 'node:crypto';
import { MemoryTokenStorage, TokenManager, type ClientConfig, type TokenSet } from '@gatehouse/client';

export interface Session {
  manager: TokenManager;
  /** The access token the last page was built with, to notice when TokenManager renewed it. */
  lastAccessToken: string;
  renewals: number;
}

const PENDING_SECONDS = 600;
const MAX_ENTRIES = 1000;

/** A Map that forgets its oldest entries beyond MAX_ENTRIES, so nobody can fill the memory. */
class BoundedMap<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    super.set(key, value);
    for (const oldest of this.keys()) {
      if (this.size <= MAX_ENTRIES) break;
      this.delete(oldest);
    }
    return this;
  }
}

export class ExampleSessions {
  private readonly pending = new BoundedMap<{ codeVerifier: string; expiresAt: number }>();
  private readonly sessions = new BoundedMap<Session>();

  constructor(private readonly config: ClientConfig) {}

  /** Keeps the PKCE verifier until the callback brings this state back. */
  remember(state: string, codeVerifier: string): void {
    this.pending.set(state, { codeVerifier, expiresAt: Date.now() + PENDING_SECONDS * 1000 });
  }

  /** The verifier for a state, once. */
  take(state: string): string | undefined {
    const entry = this.pending.get(state);
    this.pending.delete(state);
    return entry && entry.expiresAt > Date.now() ? entry.codeVerifier : undefined;
  }

  /** A new session holding these tokens; returns its id for the cookie. */
  create(tokens: TokenSet): string {
    const id = randomBytes(32).toString('base64url');
    const manager = new TokenManager(this.config, { storage: new MemoryTokenStorage(tokens) });
    this.sessions.set(id, { manager, lastAccessToken: tokens.accessToken, renewals: 0 });
    return id;
  }

  get(id: string | undefined): Session | undefined {
    return id === undefined ? undefined : this.sessions.get(id);
  }

  end(id: string): void {
    this.sessions.delete(id);
  }
}

export const PENDING_COOKIE_SECONDS = PENDING_SECONDS;
