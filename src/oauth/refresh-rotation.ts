// What a refresh does to the refresh token it was given. The app's policy says whether it rotates
// (see docs/api.md): without rotation the same token comes back, as on ilert; with it a successor
// comes back and the old one is spent. A spent token that comes back shortly after, while its
// successor is unused, is a client that lost the answer and gets the same successor again (it is
// derived, not random, so no plaintext is stored); any other reuse revokes the whole family.
import { createHmac, hkdfSync } from 'node:crypto';
import type { App } from '../domain/app.ts';
import type { RequestOrigin } from '../domain/audit.ts';
import type { NewRefreshToken, RefreshToken } from '../domain/tokens.ts';
import type { OAuthContext } from './context.ts';
import { invalidGrant } from './errors.ts';
import { withRefreshToken, type TokenResponse } from './issue-tokens.ts';
import { TOKEN_PREFIX, safeEqual, sha256Hex } from './secrets.ts';

/** A client that lost the answer to a rotating refresh may repeat it this long and get the same successor. */
export const ROTATION_RETRY_WINDOW_SECONDS = 60;

/**
 * How stale a refresh token's last use and its grant's last activity may get. Writing both on
 * every refresh would make a read-only refresh (no rotation) two writes, each taking the
 * database's write lock; once a minute per token is enough for "last activity" pages.
 */
export const ACTIVITY_RESOLUTION_SECONDS = 60;

export const activityIsStale = (token: RefreshToken, now: Date): boolean =>
  token.lastUsedAt === null || now.getTime() - token.lastUsedAt.getTime() >= ACTIVITY_RESOLUTION_SECONDS * 1000;

/** Whether this refresh rotates: by the app's policy, and whether the request proved the secret. */
export const rotates = (app: App, secretVerified: boolean): boolean =>
  app.refreshRotation === 'always' || (app.refreshRotation === 'public' && !secretVerified);

const TOKEN_KEY_INFO = 'gatehouse refresh-token successor v1';

/** The key rotations derive successors with: HKDF of GATEHOUSE_SECRET, never the secret itself. */
export function deriveTokenKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), TOKEN_KEY_INFO, 32));
}

/**
 * The refresh token that replaces `value` when it is rotated. Derived, not random, so a retry
 * with the spent token can be answered with the same successor without storing its plaintext;
 * only a holder of the key can compute it, so a stolen spent token does not reveal it.
 */
export function successorRefreshToken(value: string, key: Buffer): string {
  return TOKEN_PREFIX.refreshToken + createHmac('sha256', key).update(value, 'utf8').digest('base64url');
}

/** The successor of `value`, as a record for the store: same family, scope and expiry. */
function rotatedRefreshToken(value: string, predecessor: RefreshToken, now: Date, ctx: OAuthContext): { value: string; record: NewRefreshToken } {
  const next = successorRefreshToken(value, ctx.tokenKey);
  return {
    value: next,
    record: {
      tokenHash: sha256Hex(next),
      familyId: predecessor.familyId,
      appId: predecessor.appId,
      userId: predecessor.userId,
      // RFC 6749 §6: a new refresh token has the scope of the one it replaces, however narrow
      // the access token of this refresh was.
      scope: predecessor.scope,
      createdAt: now,
      // The family's lifetime does not grow with use: a public client signs in again a year
      // after consent, just as a non-rotating token would expire.
      expiresAt: predecessor.expiresAt,
    },
  };
}

export interface Refreshed {
  /** The refresh token presented, as the client sent it. */
  value: string;
  /** Its stored record, live and of the requesting app (the grant checked). */
  token: RefreshToken;
  rotate: boolean;
  /** The answer so far: the new access token. */
  response: TokenResponse;
  origin?: RequestOrigin;
  /** The refresh's instant: what the token was checked against, and what its remaining lifetime counts from. */
  now: Date;
}

/** The refresh's answer with its refresh token: the same one, a new successor, or (a retry) the successor again. */
export async function withNextRefreshToken({ value, token, rotate, response, origin, now }: Refreshed, ctx: OAuthContext): Promise<TokenResponse> {
  // A spent token is checked whatever the policy says now: it may only be a retry.
  if (token.rotatedAt !== null) return answerSpent(value, token, response, origin, now, ctx);
  if (!rotate) {
    if (activityIsStale(token, now)) await ctx.store.refreshTokens.touch(token.tokenHash, now);
    return withRefreshToken(response, { value, expiresAt: token.expiresAt, asOf: now });
  }
  const next = rotatedRefreshToken(value, token, now, ctx);
  const rotated = await ctx.store.refreshTokens.rotate(token.tokenHash, next.record, ctx.maxRefreshTokensPerAppUser, now);
  if (rotated.status === 'rotated') return withRefreshToken(response, { value: next.value, expiresAt: next.record.expiresAt, asOf: now });
  // Another request (a retry, or one racing this one) rotated it first.
  if (rotated.status === 'spent') return answerSpent(value, rotated.token, response, origin, now, ctx);
  throw invalidGrant('Provided refresh token was revoked');
}

/**
 * A spent token came back. Shortly after its rotation, while its successor is still unused, it is
 * a client that lost the answer: it gets the same successor again. Anything else means the token
 * leaked and two parties hold the family: all of it is revoked, access tokens included.
 */
async function answerSpent(value: string, spent: RefreshToken, response: TokenResponse, origin: RequestOrigin | undefined, now: Date, ctx: OAuthContext): Promise<TokenResponse> {
  const successorValue = successorRefreshToken(value, ctx.tokenKey);
  const successor = spent.successorHash === null ? undefined : await ctx.store.refreshTokens.byHash(spent.successorHash);
  const retry =
    spent.rotatedAt !== null &&
    now.getTime() - spent.rotatedAt.getTime() <= ROTATION_RETRY_WINDOW_SECONDS * 1000 &&
    successor !== undefined &&
    successor.revokedAt === null &&
    successor.rotatedAt === null &&
    successor.lastUsedAt === null &&
    successor.expiresAt > now &&
    safeEqual(sha256Hex(successorValue), successor.tokenHash);
  if (retry) return withRefreshToken(response, { value: successorValue, expiresAt: successor.expiresAt, asOf: now });

  await ctx.store.families.revoke(spent.familyId, 'refresh_token_reuse', now);
  ctx.metrics?.refreshTokenReuse();
  await ctx.audit?.record('refresh_token_reuse', {
    appId: spent.appId,
    userId: spent.userId,
    origin,
    detail: 'a spent refresh token was used again; its token family is revoked',
  });
  throw invalidGrant('Provided refresh token was already used; its token family is revoked');
}
