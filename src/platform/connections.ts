// App connections: the apps a user has granted access, and revoking one — which forgets the
// consent, ends the app's refresh tokens for that user, and stops its access tokens at once.
import type { Connection } from '../domain/grant.ts';
import type { Actor } from './app-management.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { hasOffline } from '../oauth/grant-scope.ts';
import { resourcesByIds } from '../oauth/resources.ts';
import { describeScopes, ScopeSet, type ScopeLine } from '../oauth/scopes.ts';
import { tokenFamilies } from './audit.ts';

/** What a connection allows on one resource, in the consent page's words. */
export interface ConnectionScopes {
  resourceName: string;
  identifier: string;
  builtIn: boolean;
  lines: ScopeLine[];
}

/** A connection with what it allows, resource by resource (the offline flag last, on its own). */
export interface ConnectionView extends Connection {
  scopes: ConnectionScopes[];
  offline: ScopeLine[];
}

export async function listConnections(userId: number, ctx: OAuthContext): Promise<ConnectionView[]> {
  const connections = await ctx.store.grants.listForUser(userId);
  const ids = [...new Set(connections.flatMap((c) => c.resources.map((r) => r.resourceId)))];
  const resources = new Map((await resourcesByIds(ids, ctx)).map((r) => [r.id, r]));
  return connections.map((c) => ({
    ...c,
    // A deleted resource's part allows nothing any more: it is left out.
    scopes: c.resources.flatMap((part) => {
      const resource = resources.get(part.resourceId);
      if (!resource) return [];
      const lines = describeScopes(ScopeSet.fromStored(part.scope, resource.catalog), resource.catalog);
      return lines.length === 0 ? [] : [{ resourceName: resource.name, identifier: resource.identifier, builtIn: resource.builtIn, lines }];
    }),
    offline: hasOffline(c.scope) ? describeScopes(ScopeSet.empty.withOffline(true)) : [],
  }));
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
