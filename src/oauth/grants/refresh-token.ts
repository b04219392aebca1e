// grant_type=refresh_token: a new access token for a live refresh token. As on ilert, the
// refresh token is not rotated: the same one comes back, so clients may keep re-sending it.
import { authenticateClient, type ClientCredentials } from '../client-auth.ts';
import type { OAuthContext } from '../context.ts';
import { OAuthError, invalidGrant, invalidScope } from '../errors.ts';
import { tokenResponse, type TokenResponse } from '../issue-tokens.ts';
import { ScopeSet } from '../scopes.ts';
import { sha256Hex } from '../secrets.ts';

export interface RefreshTokenRequest {
  client: ClientCredentials;
  refreshToken?: string;
  scope?: string;
}

export async function refreshTokenGrant(req: RefreshTokenRequest, ctx: OAuthContext): Promise<TokenResponse> {
  const { app, secretVerified } = await authenticateClient(req.client, ctx);
  if (req.refreshToken === undefined) throw new OAuthError('invalid_request', 'refresh_token is required');

  const now = ctx.clock.now();
  const token = await ctx.store.refreshTokens.byHash(sha256Hex(req.refreshToken));
  if (!token || token.appId !== app.id) throw invalidGrant('Provided refresh token is unknown');
  if (token.revokedAt !== null) throw invalidGrant('Provided refresh token was revoked');
  if (token.expiresAt <= now) throw invalidGrant('Provided refresh token has expired');

  const family = await ctx.store.families.byId(token.familyId);
  if (!family || family.revokedAt !== null) throw invalidGrant('Provided refresh token was revoked');
  if (family.confidential && !secretVerified) {
    throw new OAuthError('invalid_client', 'client_secret is required to refresh a token issued with the client secret');
  }

  const granted = ScopeSet.fromStored(token.scope);
  let scope = token.scope;
  if (req.scope !== undefined) {
    const { scopes: requested, unknown } = ScopeSet.parse(req.scope);
    if (unknown.length > 0) throw invalidScope(`Unknown scope: ${unknown.join(' ')}`);
    if (requested.isEmpty) throw invalidScope('scope must not be empty');
    if (!requested.isSubsetOf(granted)) throw invalidScope('A refresh may narrow the granted scope, never widen it');
    scope = requested.toString();
  }

  const response = await tokenResponse(
    { app, userId: token.userId, familyId: token.familyId, scope },
    { value: req.refreshToken, expiresAt: token.expiresAt },
    ctx,
  );
  await ctx.store.refreshTokens.touch(token.tokenHash, now);
  await ctx.store.grants.touch(token.userId, app.id, now);
  return response;
}
