// grant_type=authorization_code: a code for tokens, with the client secret, PKCE, or both.
import type { RequestOrigin } from '../../domain/audit.ts';
import type { OAuthContext } from '../context.ts';
import { OAuthError, invalidGrant } from '../errors.ts';
import { newRefreshToken, tokenResponse, type Issuance } from '../issue-tokens.ts';
import { verifyPkce } from '../pkce.ts';
import { tokenScope } from '../grant-scope.ts';
import { grantedResource } from '../resources.ts';
import { ScopeSet } from '../scopes.ts';
import { sha256Hex } from '../secrets.ts';
import { defineGrant } from './grant.ts';
import { withIdToken } from '../id-token.ts';

export const authorizationCodeGrant = defineGrant({
  type: 'authorization_code',
  title: 'Authorization code: users sign in and consent (PKCE S256, or the client secret)',
  parameters: {
    code: 'the code from the redirect (ghc_…), valid 2 minutes, once',
    code_verifier: 'the PKCE verifier whose S256 hash was the code_challenge; required when the authorization request had one',
    redirect_uri: "optional; if sent, must equal the authorization request's",
    resource: 'optional (RFC 8707): which of the granted resources the access token is for; none: the app\'s default resource if granted, else the first',
  },
  required: ['code'],
  async handle({ params, client, origin }, ctx) {
    const { app, secretVerified } = client;
    if (params.code === undefined) throw new OAuthError('invalid_request', 'code is required');

    const now = ctx.clock.now();
    const codeHash = sha256Hex(params.code);
    const found = await ctx.store.codes.find(codeHash);
    if (!found) throw invalidGrant('Provided code is unknown');
    if (found.consumed) return rejectReplay(found.code.familyId, ctx, origin);

    // Every check runs before the code is used, so a request that fails one (a wrong verifier, a
    // foreign client_id) cannot burn the code for the client it belongs to.
    const code = found.code;
    if (code.appId !== app.id) throw invalidGrant('Provided code was issued to another client');
    if (code.expiresAt <= now) throw invalidGrant('Provided code has expired');
    if (params.redirect_uri !== undefined && params.redirect_uri !== code.redirectUri) {
      throw invalidGrant('redirect_uri does not match the one of the authorization request');
    }
    verifyPkce(code.codeChallenge, params.code_verifier);
    if (code.codeChallenge === null && !secretVerified) {
      throw new OAuthError('invalid_client', 'client_secret is required when the authorization request used no PKCE');
    }
    const { resource, part } = await grantedResource(params.resource, code.resources, app, ctx);
    const issuance: Issuance = { app, subject: { kind: 'user', userId: code.userId }, familyId: code.familyId, resource, scope: tokenScope(part, code.scope), grantScope: code.scope, session: code.session };
    // ilert: a refresh token when the secret was sent or offline_access was granted — and the app
    // may use it (the refresh_token grant).
    const wantsRefresh = secretVerified || ScopeSet.fromStored(code.scope).offline;
    const refreshToken = wantsRefresh && app.grantTypes.includes('refresh_token') ? newRefreshToken(issuance, now, ctx) : undefined;

    // One atomic step decides who redeems the code and stores what it buys; a concurrent loser
    // counts as a replay (and revokes what the winner got, as a replay should).
    const redeemed = await ctx.store.codes.consume(codeHash, now, {
      confidential: secretVerified,
      refreshToken: refreshToken?.record,
      maxLivePerAppUser: ctx.maxRefreshTokensPerAppUser,
    });
    if (redeemed.status !== 'consumed') return rejectReplay(code.familyId, ctx, origin);
    const response = await tokenResponse(issuance, refreshToken && { value: refreshToken.value, expiresAt: refreshToken.record.expiresAt, asOf: now }, ctx);
    return withIdToken(response, { app, userId: code.userId, grantScope: code.scope, session: code.session, nonce: code.nonce, claims: code.claims }, ctx);
  },
});

/** A second use means the code leaked: end everything the first use produced, and say so in the audit log. */
async function rejectReplay(familyId: string, ctx: OAuthContext, origin?: RequestOrigin): Promise<never> {
  await ctx.store.families.revoke(familyId, 'code_replay', ctx.clock.now());
  ctx.metrics?.codeReplay();
  if (ctx.audit) {
    const family = await ctx.store.families.byId(familyId).catch(() => undefined);
    await ctx.audit.record('code_replayed', { appId: family?.appId, userId: family?.userId ?? undefined, origin, detail: 'code used again; its tokens are revoked' });
  }
  throw invalidGrant('Provided code was already used; the tokens issued for it are revoked');
}
