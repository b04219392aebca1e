// The resources as the console's pages show them (pages never read the store): the built-in API
// with its real identifier, `{PUBLIC_URL}/api`, and every resource with its effective token lifetime.
import type { ResourceServer } from '../../domain/resource-server.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import { knownResource } from '../../oauth/resources.ts';
import type { ResourceView } from '../../pages/console/resources.ts';

export function resourceView(server: ResourceServer, ctx: OAuthContext): ResourceView {
  const known = knownResource(server, ctx);
  return {
    id: server.id,
    identifier: known.identifier,
    name: server.name,
    description: server.description,
    builtIn: server.builtIn,
    scopes: server.scopes,
    accessTokenLifetime: known.accessTokenLifetime,
    clientId: server.clientId,
    createdAt: server.createdAt,
  };
}

/** Every live resource, the built-in API first. */
export async function resourceViews(ctx: OAuthContext): Promise<ResourceView[]> {
  return (await ctx.store.resourceServers.list()).map((server) => resourceView(server, ctx));
}
