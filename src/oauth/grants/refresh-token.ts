// grant_type=refresh_token: a new access token for a live refresh token, whose own fate (the same
// token back, or a successor) is the app's rotation policy (refresh-rotation.ts).
import type { OAuthContext } from '../context.ts';
import { OAuthError, invalidGrant, invalidScope } from '../errors.ts';
import { accessTokenResponse } from '../issue-tokens.ts';
import { activityIsStale, rotates, withNextRefreshToken } from '../refresh-rotation.ts';
import { tokenScope } from '../grant-scope.ts';
import { grantedResource, type KnownResource } from '../resources.ts';
import { ScopeSet } from '../scopes.ts';
import { sha256Hex } from '../secrets.ts';
import { defineGrant } from './grant.ts';
import { withIdToken } from '../id-token.ts';

export const refreshTokenGrant = defineGrant({
  type: 'refresh_token',
  title: 'Refresh token: a new access token without the user',
  parameters: {
    refresh_token: 'the refresh token (ghr_…)',
    scope: 'optional; a narrower scope for the new access token',
    resource: 'optional (RFC 8707): which of the granted resources the access token is for; none: the app\'s default resource if granted, else the first',
  },
  required: ['refresh_token'],
  async handle({ params, client, origin }, ctx: OAuthContext) {
    const { app, secretVerified } = client;
    const value = params.refresh_token;
    if (value === undefined) throw new OAuthError('invalid_request', 'refresh_token is required');

    const now = ctx.clock.now();
    const found = await ctx.store.refreshTokens.withFamily(sha256Hex(value));
    if (!found || found.token.appId !== app.id) throw invalidGrant('Provided refresh token is unknown');
    const { token, family } = found;
    if (token.revokedAt !== null || family.revokedAt !== null) throw invalidGrant('Provided refresh token was revoked');
    if (token.expiresAt <= now) throw invalidGrant('Provided refresh token has expired');
    if (family.confidential && !secretVerified) {
      throw new OAuthError('invalid_client', 'client_secret is required to refresh a token issued with the client secret');
    }

    const { resource, part } = await grantedResource(params.resource, family.resources, app, ctx);
    const scope = narrowedScope(tokenScope(part, family.scope), params.scope, resource);
    // The access token is minted first: a refusal (a disabled user) must not spend the token.
    const response = await accessTokenResponse({ app, subject: { kind: 'user', userId: token.userId }, familyId: token.familyId, resource, scope, session: family.session }, ctx);
    const rotate = rotates(app, secretVerified);
    const answer = await withNextRefreshToken({ value, token, rotate, response, origin, now }, ctx);
    if (rotate || activityIsStale(token, now)) await ctx.store.grants.touch(token.userId, app.id, now);
    // OpenID Connect: a refreshed ID token, without the nonce (Core §12.2).
    return withIdToken(answer, { app, userId: token.userId, grantScope: family.scope, session: family.session, claims: family.claims }, ctx);
  },
});

/** The scope of this refresh's access token: the resource's part of the grant, or a narrower one the client asks for. */
function narrowedScope(granted: string, requested: string | undefined, resource: KnownResource): string {
  if (requested === undefined) return granted;
  const { scopes, unknown } = ScopeSet.parse(requested, resource.catalog);
  if (unknown.length > 0) throw invalidScope(`Unknown scope: ${unknown.join(' ')} is not a scope of ${resource.name} (${resource.identifier})`);
  if (scopes.isEmpty) throw invalidScope('scope must not be empty');
  if (!scopes.isSubsetOf(ScopeSet.fromStored(granted, resource.catalog))) throw invalidScope('A refresh may narrow the granted scope, never widen it');
  return scopes.toString();
}
