// Revocation (RFC 7009, and ilert's `token=` alone): a refresh token or an access token ends its
// whole family. Unknown tokens are not an error.
import { verifyAccessToken } from './access-token.ts';
import type { RequestOrigin } from '../domain/audit.ts';
import type { OAuthContext } from './context.ts';
import { TOKEN_PREFIX, sha256Hex } from './secrets.ts';
import { subjectOfClaims } from './subject.ts';

export async function revokeToken(token: string | undefined, ctx: OAuthContext, origin?: RequestOrigin): Promise<void> {
  if (token === undefined || token === '') return;
  const now = ctx.clock.now();
  if (token.startsWith(TOKEN_PREFIX.refreshToken)) {
    const stored = await ctx.store.refreshTokens.byHash(sha256Hex(token));
    if (!stored) return;
    await ctx.store.families.revoke(stored.familyId, 'revoked_by_client', now);
    await ctx.audit?.record('token_revoked', { appId: stored.appId, userId: stored.userId, origin, detail: 'refresh token (its family)' });
    return;
  }
  const claims = await verifyAccessToken(token, ctx, 'any');
  if (!claims) return;
  await ctx.store.families.revoke(claims.fid, 'revoked_by_client', now);
  // The claims were signed by us: they name the family's app and subject.
  const subject = subjectOfClaims(claims);
  const userId = subject.kind === 'user' && Number.isInteger(subject.userId) ? subject.userId : undefined;
  await ctx.audit?.record('token_revoked', {
    appId: Number.isInteger(claims.app_id) ? claims.app_id : undefined,
    userId,
    origin,
    detail: 'access token (its family)',
  });
}
