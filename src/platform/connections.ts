// App connections: the apps a user has granted access, and revoking one — which forgets the
// consent, ends the app's refresh tokens for that user, and stops its access tokens at once.
import type { Connection } from '../domain/grant.ts';
import type { Actor } from './app-management.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { tokenFamilies } from './audit.ts';

export async function listConnections(userId: number, ctx: OAuthContext): Promise<Connection[]> {
  return ctx.store.grants.listForUser(userId);
}

/** False when the user had no grant and no tokens for the app. */
export async function revokeConnection(userId: number, appId: number, actor: Actor, ctx: OAuthContext): Promise<boolean> {
  const now = ctx.clock.now();
  const families = await ctx.store.families.revokeWhere({ appId, userId }, 'revoked_by_user', now);
  const hadGrant = await ctx.store.grants.delete(userId, appId);
  if (!hadGrant && families.length === 0) return false;
  await ctx.audit?.record('app_access_revoked', {
    userId,
    appId,
    origin: actor.origin,
    detail: `access revoked${actor.userId !== undefined && actor.userId !== userId ? ` by user ${actor.userId}` : ''}, ${tokenFamilies(families.length)}`,
  });
  return true;
}
