// Revocation (RFC 7009, and ilert's `token=` alone): a refresh token or an access token ends its
// whole family. Unknown tokens are not an error.
import { verifyAccessToken } from './access-token.ts';
import type { OAuthContext } from './context.ts';
import { TOKEN_PREFIX, sha256Hex } from './secrets.ts';

export async function revokeToken(token: string | undefined, ctx: OAuthContext): Promise<void> {
  if (token === undefined || token === '') return;
  const now = ctx.clock.now();
  if (token.startsWith(TOKEN_PREFIX.refreshToken)) {
    const stored = await ctx.store.refreshTokens.byHash(sha256Hex(token));
    if (stored) await ctx.store.families.revoke(stored.familyId, 'revoked_by_client', now);
    return;
  }
  const claims = await verifyAccessToken(token, ctx);
  if (claims) await ctx.store.families.revoke(claims.fid, 'revoked_by_client', now);
}
