// Token introspection (RFC 7662) for an authenticated client: it learns whether a token it was
// issued, access or refresh, is active, and what it grants. Tokens of other clients are inactive.
import { authenticateClient, type ClientCredentials } from './client-auth.ts';
import type { OAuthContext } from './context.ts';
import { OAuthError } from './errors.ts';
import { TOKEN_PREFIX, sha256Hex } from './secrets.ts';
import type { AccessTokenClaims } from './access-token.ts';
import { authenticateResource, isResourceClientId } from './resource-auth.ts';
import { knownResource } from './resources.ts';
import { OAUTH_PATHS } from './metadata.ts';
import { activeAccessTokenClaims } from './token-info.ts';

export type Introspection =
  | { active: false }
  | {
      active: true;
      token_type: 'Bearer' | 'refresh_token';
      scope: string;
      client_id: string;
      /** Absent for the app's own token (its `sub` is the client id). */
      username?: string;
      sub: string;
      exp: number;
      iat: number;
      iss: string;
      aud?: string;
      jti?: string;
      tenant: string;
      /** How the user signed in (RFC 8176) and its class, when the access token says so. */
      amr?: string[];
      acr?: string;
    };

const INACTIVE: Introspection = { active: false };
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export async function introspect(token: string | undefined, client: ClientCredentials, ctx: OAuthContext): Promise<Introspection> {
  if (isResourceClientId(client.clientId)) return introspectForResource(token, client, ctx);
  const { app, secretVerified } = await authenticateClient(client, ctx, `${ctx.issuer}${OAUTH_PATHS.introspect}`);
  if (!secretVerified) {
    throw new OAuthError('invalid_client', 'Introspection needs client authentication (client_secret, or a client assertion for private_key_jwt)', { status: 401, failedClientAuthentication: true });
  }
  if (token === undefined) throw new OAuthError('invalid_request', 'token is required');

  if (token.startsWith(TOKEN_PREFIX.refreshToken)) {
    const now = ctx.clock.now();
    const stored = await ctx.store.refreshTokens.byHash(sha256Hex(token));
    if (!stored || stored.appId !== app.id || stored.revokedAt !== null || stored.rotatedAt !== null || stored.expiresAt <= now) return INACTIVE;
    // One query: the family is live and names its user, who must not be disabled.
    const user = await ctx.store.families.liveUser(stored.familyId);
    const tenant = user && (await ctx.store.tenants.byId(user.tenantId));
    if (!user || !tenant || user.disabled || user.id !== stored.userId) return INACTIVE;
    return {
      active: true,
      token_type: 'refresh_token',
      scope: stored.scope,
      client_id: app.clientId,
      username: user.username,
      sub: String(user.id),
      exp: seconds(stored.expiresAt),
      iat: seconds(stored.createdAt),
      iss: ctx.issuer,
      tenant: tenant.slug,
    };
  }

  const claims = await activeAccessTokenClaims(token, ctx);
  if (!claims || claims.client_id !== app.clientId) return INACTIVE;
  return activeAnswer(claims);
}

/**
 * A resource server asking (RFC 7662 §2.1, its own credentials): an access token is active for it
 * only when issued for it (`aud`); refresh tokens are the client's business, never active here.
 */
async function introspectForResource(token: string | undefined, client: ClientCredentials, ctx: OAuthContext): Promise<Introspection> {
  const server = await authenticateResource(client, ctx);
  if (token === undefined) throw new OAuthError('invalid_request', 'token is required');
  if (server.deletedAt !== null || token.startsWith(TOKEN_PREFIX.refreshToken)) return INACTIVE;
  const claims = await activeAccessTokenClaims(token, ctx, knownResource(server, ctx).identifier);
  return claims ? activeAnswer(claims) : INACTIVE;
}

function activeAnswer(claims: AccessTokenClaims): Introspection {
  return {
    active: true,
    token_type: 'Bearer',
    scope: claims.scope,
    client_id: claims.client_id,
    ...(claims.username === undefined ? {} : { username: claims.username }),
    sub: claims.sub,
    exp: claims.exp,
    iat: claims.iat,
    iss: claims.iss,
    aud: claims.aud,
    jti: claims.jti,
    tenant: claims.tenant,
    ...(claims.amr === undefined ? {} : { amr: claims.amr }),
    ...(claims.acr === undefined ? {} : { acr: claims.acr }),
  };
}
