// Mints an access token and, when the grant allows it, stores and returns a refresh token.
import type { App } from '../store/types.ts';
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

export async function issueTokens(subject: TokenSubject, withRefreshToken: boolean, ctx: OAuthContext): Promise<TokenResponse> {
  const now = ctx.clock.now();
  const accessToken = await accessTokenFor(subject, ctx);
  const response: TokenResponse = {
    token_type: 'Bearer',
    access_token: accessToken,
    expires_in: ctx.lifetimes.accessToken,
    scope: subject.scope,
  };
  if (!withRefreshToken) return response;

  const refreshToken = randomToken(TOKEN_PREFIX.refreshToken);
  const stored = await ctx.store.refreshTokens.issue(
    {
      tokenHash: sha256Hex(refreshToken),
      familyId: subject.familyId,
      appId: subject.app.id,
      userId: subject.userId,
      scope: subject.scope,
      createdAt: now,
      expiresAt: secondsFrom(now, ctx.lifetimes.refreshToken),
    },
    ctx.maxRefreshTokensPerAppUser,
    now,
  );
  if (!stored) throw invalidGrant('This grant was revoked');
  return { ...response, refresh_token: refreshToken, refresh_token_expires_in: ctx.lifetimes.refreshToken };
}

/** A fresh access token for an existing refresh token (which is returned unchanged). */
export async function refreshAccessToken(
  subject: TokenSubject,
  refreshToken: { value: string; expiresAt: Date },
  ctx: OAuthContext,
): Promise<TokenResponse> {
  const accessToken = await accessTokenFor(subject, ctx);
  const remaining = Math.floor((refreshToken.expiresAt.getTime() - ctx.clock.now().getTime()) / 1000);
  return {
    token_type: 'Bearer',
    access_token: accessToken,
    expires_in: ctx.lifetimes.accessToken,
    scope: subject.scope,
    refresh_token: refreshToken.value,
    refresh_token_expires_in: remaining,
  };
}
