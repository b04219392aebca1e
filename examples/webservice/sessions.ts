// Server-side state of the example web service, in memory: authorizations under way (PKCE
// verifier and, for "Sign in with Gatehouse", the nonce, by state), sign-outs under way (by
// state) and sessions (a TokenManager each). A restart forgets them all.
import { randomBytes } from 'node:crypto';
import { MemoryTokenStorage, TokenManager, type ClientConfig, type IdTokenClaims, type TokenSet } from '@gatehouse/client';

/** Who signed in with OpenID Connect: the validated ID token, its claims and UserInfo's. */
export interface Identity {
  idToken: string;
  claims: IdTokenClaims;
  userinfo: Record<string, unknown>;
}

export interface Session {
  manager: TokenManager;
  /** The access token the last page was built with, to notice when TokenManager renewed it. */
  lastAccessToken: string;
  renewals: number;
  /** Set for a session begun with "Sign in with Gatehouse". */
  identity?: Identity;
}

/** An authorization under way. */
export interface PendingAuthorization {
  codeVerifier: string;
  /** Only for "Sign in with Gatehouse": the ID token must carry it. */
  nonce?: string;
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
  private readonly pending = new BoundedMap<PendingAuthorization & { expiresAt: number }>();
  private readonly signOuts = new BoundedMap<{ sessionId: string; expiresAt: number }>();
  private readonly sessions = new BoundedMap<Session>();

  constructor(private readonly config: ClientConfig) {}

  /** Keeps the PKCE verifier (and nonce) until the callback brings this state back. */
  remember(state: string, authorization: PendingAuthorization): void {
    this.pending.set(state, { ...authorization, expiresAt: Date.now() + PENDING_SECONDS * 1000 });
  }

  /** The authorization for a state, once. */
  take(state: string): PendingAuthorization | undefined {
    return takeUnexpired(this.pending, state);
  }

  /** Keeps which session a sign-out at Gatehouse is for, until the browser comes back with this state. */
  rememberSignOut(state: string, sessionId: string): void {
    this.signOuts.set(state, { sessionId, expiresAt: Date.now() + PENDING_SECONDS * 1000 });
  }

  /** The session id a sign-out state was made for, once. */
  takeSignOut(state: string): string | undefined {
    return takeUnexpired(this.signOuts, state)?.sessionId;
  }

  /** A new session holding these tokens; returns its id for the cookie. */
  create(tokens: TokenSet, identity?: Identity): string {
    const id = randomBytes(32).toString('base64url');
    const manager = new TokenManager(this.config, { storage: new MemoryTokenStorage(tokens) });
    this.sessions.set(id, { manager, lastAccessToken: tokens.accessToken, renewals: 0, ...(identity ? { identity } : {}) });
    return id;
  }

  get(id: string | undefined): Session | undefined {
    return id === undefined ? undefined : this.sessions.get(id);
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /**
   * Ends the "Sign in with Gatehouse" sessions a logout token names: the one with its `sid`, or,
   * with a `sub` alone, every one of that user. Returns the sessions it ended.
   */
  endSignedOut(who: { sid?: string; sub?: string }): Session[] {
    const ended: Session[] = [];
    for (const [id, session] of this.sessions) {
      const claims = session.identity?.claims;
      if (!claims) continue;
      const matches = who.sid === undefined ? claims.sub === who.sub : claims.sid === who.sid && (who.sub === undefined || claims.sub === who.sub);
      if (matches && this.sessions.delete(id)) ended.push(session);
    }
    return ended;
  }
}

function takeUnexpired<V extends { expiresAt: number }>(map: Map<string, V>, key: string): V | undefined {
  const entry = map.get(key);
  map.delete(key);
  return entry && entry.expiresAt > Date.now() ? entry : undefined;
}

export const PENDING_COOKIE_SECONDS = PENDING_SECONDS;
