// How a verifier learns that a token it verified was revoked: by following Gatehouse's
// revocation feed (the default), by asking the introspection endpoint (cached briefly), or not at
// all. Each way answers the same question on every use of a token.
import type { AccessTokenClaims } from './claims.ts';

/** What a revocation check says of one token. */
export type RevocationVerdict = 'ok' | 'revoked' | 'inactive' | 'resource_deleted' | 'unavailable';

/** The follower's state: `live` after a recent answer, `failing` while calls fail, `deleted` once the resource was deleted. */
export type FeedState = 'idle' | 'starting' | 'live' | 'failing' | 'deleted' | 'closed';

export type RevocationStatus =
  | { readonly mode: 'none' }
  | { readonly mode: 'introspection'; readonly cached: number; readonly calls: number; readonly errors: number }
  | {
      readonly mode: 'feed';
      readonly state: FeedState;
      /** ms since the epoch of the last answer from the feed. */
      readonly lastSyncAt: number | undefined;
      /** Revoked families and tokens held until their tokens would have expired. */
      readonly revokedFamilies: number;
      readonly revokedTokens: number;
      /** Failed calls since the last answer. */
      readonly consecutiveErrors: number;
    };

export interface RevocationCheck {
  /** Starts what the check needs; resolves after its first attempt, and never rejects. */
  start(): Promise<void>;
  /** The verdict on a token whose signature and claims are good; synchronous when it can be, so cached tokens cost no await. */
  check(token: string, claims: AccessTokenClaims): RevocationVerdict | Promise<RevocationVerdict>;
  status(): RevocationStatus;
  close(): Promise<void>;
}

/** `revocation: 'none'`: tokens are good until they expire. */
export const NO_REVOCATION_CHECK: RevocationCheck = {
  start: () => Promise.resolve(),
  check: () => 'ok',
  status: () => ({ mode: 'none' }),
  close: () => Promise.resolve(),
};

/** Follows the revocation feed (see revocation-feed.ts). */
export interface FeedSettings {
  readonly mode: 'feed';
  /** Seconds each long poll may wait for news (the server clamps to 0–30); default 25. */
  readonly waitSeconds?: number;
  /**
   * Refuse every token (503) once the feed has not answered for this long, since revocations may
   * be missed; also until the first answer. Default 300. `Infinity`: never refuse for that.
   */
  readonly failClosedAfterSeconds?: number;
  /** How long a revoked family is remembered: the longest access-token lifetime. Default 86400 (Gatehouse's maximum). */
  readonly retentionSeconds?: number;
}

/** Asks the introspection endpoint (RFC 7662) and caches each answer briefly (see introspection.ts). */
export interface IntrospectionSettings {
  readonly mode: 'introspection';
  /** Seconds an answer is reused; a revoked token may work this long. Default 10. */
  readonly cacheSeconds?: number;
}

export type RevocationSettings = 'feed' | 'introspection' | 'none' | FeedSettings | IntrospectionSettings | { readonly mode: 'none' };
