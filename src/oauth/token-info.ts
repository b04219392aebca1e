// token_info (ilert) and the revocation check for access tokens: a JWT is active only while its
// signature and expiry are good and its family still holds for its subject (subject.ts).
import type { SubjectRecord } from '../domain/subject.ts';
import { verifyAccessToken, type AccessTokenClaims, type AudienceRule } from './access-token.ts';
import type { OAuthContext } from './context.ts';
import type { ScopeSet } from './scopes.ts';
import { holdsForSubject, liveSubjectRecord } from './subject.ts';

/** ilert's answer for a user's token; the app's own token names its client instead of a user. */
export type TokenInfo =
  | { active: true; tenant_id: string; username: string; scope: string; app_id: number; aud: string }
  | { active: true; tenant_id: string; client_id: string; scope: string; app_id: number; aud: string }
  | { active: false };

export interface ActiveAccessToken {
  claims: AccessTokenClaims;
  /** The token's user or app, as loaded by the revocation check: callers need not load it again. */
  subject: SubjectRecord;
}

/** Who calls a resource with a valid access token, and what it may do there. */
export interface Caller extends ActiveAccessToken {
  scopes: ScopeSet;
}

/** An access token that is valid and not revoked, with its subject, or undefined. */
export async function activeAccessToken(token: string, ctx: OAuthContext): Promise<ActiveAccessToken | undefined> {
  const claims = await verifyAccessToken(token, ctx);
  if (!claims) return undefined;
  const subject = await liveSubjectRecord(claims, ctx);
  return subject ? { claims, subject } : undefined;
}

/**
 * The claims of an access token that is valid and not revoked, without loading its user (token_info,
 * introspection): for any resource of ours unless told, as long as that resource still exists.
 */
export async function activeAccessTokenClaims(token: string, ctx: OAuthContext, audience: AudienceRule = 'any'): Promise<AccessTokenClaims | undefined> {
  const claims = await verifyAccessToken(token, ctx, audience);
  if (!claims) return undefined;
  if (claims.aud !== ctx.audience && !(await ctx.store.resourceServers.byIdentifier(claims.aud))) return undefined;
  return (await holdsForSubject(claims, ctx)) ? claims : undefined;
}

export async function tokenInfo(token: string | undefined, ctx: OAuthContext): Promise<TokenInfo> {
  const claims = token === undefined ? undefined : await activeAccessTokenClaims(token, ctx);
  if (!claims) return { active: false };
  const { tenant: tenant_id, scope, app_id, aud } = claims;
  return claims.username === undefined ? { active: true, tenant_id, client_id: claims.client_id, scope, app_id, aud } : { active: true, tenant_id, username: claims.username, scope, app_id, aud };
}
