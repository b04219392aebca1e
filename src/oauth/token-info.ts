// token_info (ilert) and the revocation check for access tokens: a JWT is active only while its
// signature, expiry, family and user are all still good.
import { verifyAccessToken, type AccessTokenClaims } from './access-token.ts';
import type { User } from '../domain/identity.ts';
import type { OAuthContext } from './context.ts';
import type { ScopeSet } from './scopes.ts';

export type TokenInfo =
  | { active: true; tenant_id: string; username: string; scope: string; app_id: number }
  | { active: false };

/** Who calls a resource with a valid access token, and what it may do there. */
export interface Caller {
  claims: AccessTokenClaims;
  /** The token's user, as loaded by the revocation check. */
  user: User;
  scopes: ScopeSet;
}

export interface ActiveAccessToken {
  claims: AccessTokenClaims;
  /** The token's user, loaded for the disabled check: callers need not load it again. */
  user: User;
}

/** The token's family is live (the caller read its user): the user must be the token's and not disabled. */
const holdsFor = (claims: AccessTokenClaims, user: Pick<User, 'id' | 'disabled'>): boolean => !user.disabled && String(user.id) === claims.sub;

/** An access token that is valid and not revoked, with its user, or undefined. */
export async function activeAccessToken(token: string, ctx: OAuthContext): Promise<ActiveAccessToken | undefined> {
  const claims = await verifyAccessToken(token, ctx);
  if (!claims) return undefined;
  // One query: the family is live and names this user, who is not disabled.
  const user = await ctx.store.families.liveUser(claims.fid);
  return user && holdsFor(claims, user) ? { claims, user } : undefined;
}

/** The claims of an access token that is valid and not revoked, without loading its user (token_info, introspection). */
export async function activeAccessTokenClaims(token: string, ctx: OAuthContext): Promise<AccessTokenClaims | undefined> {
  const claims = await verifyAccessToken(token, ctx);
  if (!claims) return undefined;
  // One query for the same checks as activeAccessToken, reading only the user's id and state.
  const subject = await ctx.store.families.liveSubject(claims.fid);
  return subject && holdsFor(claims, subject) ? claims : undefined;
}

export async function tokenInfo(token: string | undefined, ctx: OAuthContext): Promise<TokenInfo> {
  const claims = token === undefined ? undefined : await activeAccessTokenClaims(token, ctx);
  if (!claims) return { active: false };
  return { active: true, tenant_id: claims.tenant, username: claims.username, scope: claims.scope, app_id: claims.app_id };
}
