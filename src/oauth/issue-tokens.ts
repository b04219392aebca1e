// Token responses: a fresh access token, with a new refresh token (stored by the caller's store
// step) or the one the client already holds; and the successor a rotation derives from a token.
import { createHmac, hkdfSync } from 'node:crypto';
import type { App } from '../domain/app.ts';
import type { NewRefreshToken } from '../domain/tokens.ts';
import { mintAccessToken } from './access-token.ts';
import { secondsFrom, type OAuthContext } from './context.ts';
import { invalidGrant } from './errors.ts';
import { TOKEN_PREFIX, randomToken, sha256Hex } from './secrets.ts';

/** The token response, field for field as ilert's docs show it. */
export interface TokenResponse {
  token_type: 'Bearer';
  access_token: string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
  refresh_token_expires_in?: number;
}

export interface TokenSubject {
  app: App;
  userId: number;
  familyId: string;
  scope: string;
}

/** A new refresh token: the value for the client, the record (its hash) for the store. */
export function newRefreshToken(subject: TokenSubject, ctx: OAuthContext): { value: string; record: NewRefreshToken } {
  const now = ctx.clock.now();
  const value = randomToken(TOKEN_PREFIX.refreshToken);
  return {
    value,
    record: {
      tokenHash: sha256Hex(value),
      familyId: subject.familyId,
      appId: subject.app.id,
      userId: subject.userId,
      scope: subject.scope,
      createdAt: now,
      expiresAt: secondsFrom(now, ctx.lifetimes.refreshToken),
    },
  };
}

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
export function rotatedRefreshToken(
  value: string,
  predecessor: { familyId: string; appId: number; userId: number; scope: string; expiresAt: Date },
  ctx: OAuthContext,
): { value: string; record: NewRefreshToken } {
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
      createdAt: ctx.clock.now(),
      // The family's lifetime does not grow with use: a public client signs in again a year
      // after consent, just as a non-rotating token would expire.
      expiresAt: predecessor.expiresAt,
    },
  };
}

/** Resolves the user and tenant names the access token carries; refuses disabled users. */
async function accessTokenFor(subject: TokenSubject, ctx: OAuthContext): Promise<string> {
  const user = await ctx.store.users.byId(subject.userId);
  const tenant = user && (await ctx.store.tenants.byId(user.tenantId));
  if (!user || !tenant || user.disabled) throw invalidGrant('The user of this grant no longer exists or is disabled');
  return mintAccessToken(
    {
      userId: user.id,
      username: user.username,
      tenant: tenant.slug,
      clientId: subject.app.clientId,
      appId: subject.app.id,
      scope: subject.scope,
      familyId: subject.familyId,
    },
    ctx,
  );
}

/** Mints the access token and answers with it and, when there is one, the refresh token. */
export async function tokenResponse(
  subject: TokenSubject,
  refreshToken: { value: string; expiresAt: Date } | undefined,
  ctx: OAuthContext,
): Promise<TokenResponse> {
  return withRefreshToken(await accessTokenResponse(subject, ctx), refreshToken, ctx);
}

/** The response without a refresh token: mints the access token (refusing a disabled user). */
export async function accessTokenResponse(subject: TokenSubject, ctx: OAuthContext): Promise<TokenResponse> {
  return {
    token_type: 'Bearer',
    access_token: await accessTokenFor(subject, ctx),
    expires_in: ctx.lifetimes.accessToken,
    scope: subject.scope,
  };
}

/** Adds the refresh token and its remaining lifetime to a response. */
export function withRefreshToken(response: TokenResponse, refreshToken: { value: string; expiresAt: Date } | undefined, ctx: OAuthContext): TokenResponse {
  if (!refreshToken) return response;
  const remaining = Math.floor((refreshToken.expiresAt.getTime() - ctx.clock.now().getTime()) / 1000);
  return { ...response, refresh_token: refreshToken.value, refresh_token_expires_in: remaining };
}
