// Token responses: a fresh access token for what a grant issues, with a new refresh token (stored
// by the grant's store step) or the one the client already holds. What happens to a refresh
// token on a refresh is refresh-rotation.ts's.
import type { App } from '../domain/app.ts';
import type { Subject } from '../domain/subject.ts';
import type { NewRefreshToken, SignInSession } from '../domain/tokens.ts';
import { mintAccessToken } from './access-token.ts';
import { secondsFrom, type OAuthContext } from './context.ts';
import { TOKEN_PREFIX, randomToken, sha256Hex } from './secrets.ts';
import { builtInResource, type KnownResource } from './resources.ts';
import { claimsFor } from './subject.ts';
import { recordAppUse } from './app-usage.ts';

/** The token response, field for field as ilert's docs show it. */
export interface TokenResponse {
  token_type: 'Bearer';
  access_token: string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  /** OpenID Connect: only for a grant whose scope includes `openid` (id-token.ts). */
  id_token?: string;
}

/** What a grant issues tokens for: an app, the subject they act for, their family, the resource (`aud`) and the access token's scope. */
export interface Issuance {
  app: App;
  subject: Subject;
  familyId: string;
  /** The resource (`aud`); the built-in API unless told. */
  resource?: KnownResource;
  /** The access token's scope: the resource's part of the grant (offline_access with it when granted). */
  scope: string;
  /** The whole grant's scope, which the refresh token records; the access token's when absent. */
  grantScope?: string;
  /** The browser sign-in the grant came from, when known: the access token says how the user signed in (amr, acr). */
  session?: SignInSession | null;
}

/** A refresh token for a response: its value, when it expires, and the instant its remaining lifetime counts from. */
export interface AnsweredRefreshToken {
  value: string;
  expiresAt: Date;
  /** The grant's "now": a token issued in this response then reports exactly its lifetime. */
  asOf: Date;
}

/** A new refresh token, issued at `now`: the value for the client, the record (its hash) for the store. Only users' grants have them. */
export function newRefreshToken(issuance: Issuance, now: Date, ctx: OAuthContext): { value: string; record: NewRefreshToken } {
  if (issuance.subject.kind !== 'user') throw new Error('refresh tokens are issued for users only');
  const value = randomToken(TOKEN_PREFIX.refreshToken);
  return {
    value,
    record: {
      tokenHash: sha256Hex(value),
      familyId: issuance.familyId,
      appId: issuance.app.id,
      userId: issuance.subject.userId,
      scope: issuance.grantScope ?? issuance.scope,
      createdAt: now,
      expiresAt: secondsFrom(now, ctx.lifetimes.refreshToken),
    },
  };
}

/** Mints the access token and answers with it and, when there is one, the refresh token. */
export async function tokenResponse(issuance: Issuance, refreshToken: AnsweredRefreshToken | undefined, ctx: OAuthContext): Promise<TokenResponse> {
  return withRefreshToken(await accessTokenResponse(issuance, ctx), refreshToken);
}

/** The response without a refresh token: mints the access token (refusing a disabled user, a deleted app). */
export async function accessTokenResponse(issuance: Issuance, ctx: OAuthContext): Promise<TokenResponse> {
  const claims = await claimsFor(issuance.subject, issuance.app, ctx);
  await recordAppUse(issuance.app, ctx);
  const resource = issuance.resource ?? builtInResource(ctx);
  const accessToken = await mintAccessToken(
    { ...claims, clientId: issuance.app.clientId, appId: issuance.app.id, scope: issuance.scope, familyId: issuance.familyId, audience: resource.identifier, lifetime: resource.accessTokenLifetime, ...(issuance.session ? { amr: issuance.session.amr } : {}) },
    ctx,
  );
  return { token_type: 'Bearer', access_token: accessToken, expires_in: resource.accessTokenLifetime, scope: issuance.scope };
}

/**
 * Adds the refresh token and its remaining lifetime to a response. The lifetime counts from the
 * grant's instant, not from a later reading of the clock: a token issued in this response reports
 * exactly its lifetime (31536000), a token that lives on (ilert's reuse, a rotation's successor,
 * a retry) the whole seconds it has left at that instant.
 */
export function withRefreshToken(response: TokenResponse, refreshToken: AnsweredRefreshToken | undefined): TokenResponse {
  if (!refreshToken) return response;
  const remaining = Math.floor((refreshToken.expiresAt.getTime() - refreshToken.asOf.getTime()) / 1000);
  return { ...response, refresh_token: refreshToken.value, refresh_token_expires_in: remaining };
}
