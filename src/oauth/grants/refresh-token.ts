// grant_type=refresh_token: a new access token for a live refresh token. The app's policy says
// whether the refresh token rotates (see docs/api.md): without rotation the same one comes back,
// as on ilert; with it a successor comes back and the old one is spent, and reusing a spent token
// outside the retry window revokes its whole family.
import type { RequestOrigin } from '../../domain/audit.ts';
import { authenticateClient, type ClientCredentials } from '../client-auth.ts';
import type { OAuthContext } from '../context.ts';
import { OAuthError, invalidGrant, invalidScope } from '../errors.ts';
import { accessTokenResponse, rotatedRefreshToken, successorRefreshToken, withRefreshToken, type TokenResponse } from '../issue-tokens.ts';
import { ScopeSet } from '../scopes.ts';
import { safeEqual, sha256Hex } from '../secrets.ts';
import type { App } from '../../domain/app.ts';
import type { RefreshToken } from '../../domain/tokens.ts';

export interface RefreshTokenRequest {
  client: ClientCredentials;
  refreshToken?: string;
  scope?: string;
  /** Where the request came from, for the audit log. */
  origin?: RequestOrigin;
}

/** A client that lost the answer to a rotating refresh may repeat it this long and get the same successor. */
export const ROTATION_RETRY_WINDOW_SECONDS = 60;

/**
 * How stale a refresh token's last use and its grant's last activity may get. Writing both on
 * every refresh would make a read-only refresh (no rotation) two writes, each taking the
 * database's write lock; once a minute per token is enough for "last activity" pages.
 */
export const ACTIVITY_RESOLUTION_SECONDS = 60;

const activityIsStale = (token: RefreshToken, now: Date): boolean =>
  token.lastUsedAt === null || now.getTime() - token.lastUsedAt.getTime() >= ACTIVITY_RESOLUTION_SECONDS * 1000;

/** Whether this refresh rotates: by the app's policy, and whether the request proved the secret. */
export const rotates = (app: App, secretVerified: boolean): boolean =>
  app.refreshRotation === 'always' || (app.refreshRotation === 'public' && !secretVerified);

export async function refreshTokenGrant(req: RefreshTokenRequest, ctx: OAuthContext): Promise<TokenResponse> {
  const { app, secretVerified } = await authenticateClient(req.client, ctx);
  if (req.refreshToken === undefined) throw new OAuthError('invalid_request', 'refresh_token is required');

  const now = ctx.clock.now();
  const found = await ctx.store.refreshTokens.withFamily(sha256Hex(req.refreshToken));
  if (!found || found.token.appId !== app.id) throw invalidGrant('Provided refresh token is unknown');
  const { token, family } = found;
  if (token.revokedAt !== null || family.revokedAt !== null) throw invalidGrant('Provided refresh token was revoked');
  if (token.expiresAt <= now) throw invalidGrant('Provided refresh token has expired');
  if (family.confidential && !secretVerified) {
    throw new OAuthError('invalid_client', 'client_secret is required to refresh a token issued with the client secret');
  }

  const scope = narrowedScope(token.scope, req.scope);
  // The access token is minted first: a refusal (a disabled user) must not spend the token.
  const response = await accessTokenResponse({ app, userId: token.userId, familyId: token.familyId, scope }, ctx);
  const rotate = rotates(app, secretVerified);
  const answer = await withRefreshTokenFor(req.refreshToken, token, rotate, response, req.origin, ctx);
  if (rotate || activityIsStale(token, now)) await ctx.store.grants.touch(token.userId, app.id, now);
  return answer;
}

async function withRefreshTokenFor(
  value: string,
  token: RefreshToken,
  rotate: boolean,
  response: TokenResponse,
  origin: RequestOrigin | undefined,
  ctx: OAuthContext,
): Promise<TokenResponse> {
  const now = ctx.clock.now();
  // A spent token is checked whatever the policy says now: it may only be a retry.
  if (token.rotatedAt !== null) return answerSpent(value, token, response, origin, ctx);
  if (!rotate) {
    if (activityIsStale(token, now)) await ctx.store.refreshTokens.touch(token.tokenHash, now);
    return withRefreshToken(response, { value, expiresAt: token.expiresAt }, ctx);
  }
  const next = rotatedRefreshToken(value, token, ctx);
  const rotated = await ctx.store.refreshTokens.rotate(token.tokenHash, next.record, ctx.maxRefreshTokensPerAppUser, now);
  if (rotated.status === 'rotated') return withRefreshToken(response, { value: next.value, expiresAt: next.record.expiresAt }, ctx);
  // Another request (a retry, or one racing this one) rotated it first.
  if (rotated.status === 'spent') return answerSpent(value, rotated.token, response, origin, ctx);
  throw invalidGrant('Provided refresh token was revoked');
}

/** The scope of this refresh's access token: the token's, or a narrower one the client asks for. */
function narrowedScope(granted: string, requested: string | undefined): string {
  if (requested === undefined) return granted;
  const { scopes, unknown } = ScopeSet.parse(requested);
  if (unknown.length > 0) throw invalidScope(`Unknown scope: ${unknown.join(' ')}`);
  if (scopes.isEmpty) throw invalidScope('scope must not be empty');
  if (!scopes.isSubsetOf(ScopeSet.fromStored(granted))) throw invalidScope('A refresh may narrow the granted scope, never widen it');
  return scopes.toString();
}

/**
 * A spent token came back. Shortly after its rotation, while its successor is still unused, it is
 * a client that lost the answer: it gets the same successor again. Anything else means the token
 * leaked and two parties hold the family: all of it is revoked, access tokens included.
 */
async function answerSpent(value: string, spent: RefreshToken, response: TokenResponse, origin: RequestOrigin | undefined, ctx: OAuthContext): Promise<TokenResponse> {
  const now = ctx.clock.now();
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
  if (retry) return withRefreshToken(response, { value: successorValue, expiresAt: successor.expiresAt }, ctx);

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
