// Token responses: a fresh access token, with a new refresh token (stored by the caller's store
// step) or the one the client already holds.
import type { App, NewRefreshToken } from '../store/types.ts';
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
  const response: TokenResponse = {
    token_type: 'Bearer',
    access_token: await accessTokenFor(subject, ctx),
    expires_in: ctx.lifetimes.accessToken,
    scope: subject.scope,
  };
  if (!refreshToken) return response;
  const remaining = Math.floor((refreshToken.expiresAt.getTime() - ctx.clock.now().getTime()) / 1000);
  return { ...response, refresh_token: refreshToken.value, refresh_token_expires_in: remaining };
}
