// An app's service scopes: what a client_credentials request may ask of each resource (the
// console's checkboxes and `gatehouse apps … --service-scope` both come through here). Each is
// checked against its resource's catalog, as at authorize; a resource's scopes are united and
// stored canonical, in the resource's order (`source source:w` is `source:w`). Narrowing them ends the app's own tokens
// for that resource at once, so nothing it held outlives what it may now ask.
import type { App } from '../domain/app.ts';
import { BUILT_IN_RESOURCE_ID, type ResourceScope } from '../domain/resource-server.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { knownResource, type KnownResource } from '../oauth/resources.ts';
import { OFFLINE_ACCESS, ScopeSet } from '../oauth/scopes.ts';

/** A broken rule, as apps.ts's Problem (not imported: apps.ts uses this file). */
interface Problem {
  message: string;
  field?: string;
}

/** One choice: scopes (space-separated) of a resource named by id or identifier; none named: the built-in API. */
export interface ServiceScopeChoice {
  resource?: string | number;
  scope: string;
}

const FIELD = 'serviceScopes';

/** A live resource by id (digits) or identifier, the built-in API's {PUBLIC_URL}/api too. */
async function resourceByRef(ref: string, ctx: OAuthContext) {
  if (/^\d+$/.test(ref)) return ctx.store.resourceServers.byId(Number(ref));
  return ref === ctx.audience ? ctx.store.resourceServers.byId(BUILT_IN_RESOURCE_ID) : ctx.store.resourceServers.byIdentifier(ref);
}

/** The choices as the app stores them, one entry per resource in the order first named, or the problems found. */
export async function resolveServiceScopes(choices: readonly ServiceScopeChoice[], ctx: OAuthContext): Promise<{ scopes: ResourceScope[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const byResource = new Map<number, { resource: KnownResource; scopes: ScopeSet }>();
  for (const choice of choices) {
    const ref = choice.resource === undefined ? String(BUILT_IN_RESOURCE_ID) : String(choice.resource);
    const server = await resourceByRef(ref, ctx);
    if (!server) {
      problems.push({ message: `There is no resource ${JSON.stringify(ref)} for service scopes; see the registered resources`, field: FIELD });
      continue;
    }
    const resource = knownResource(server, ctx);
    const { scopes, unknown } = ScopeSet.parse(choice.scope, resource.catalog);
    if (scopes.offline) problems.push({ message: `${OFFLINE_ACCESS} cannot be a service scope: client_credentials issues no refresh token`, field: FIELD });
    if (unknown.length > 0) problems.push({ message: `Unknown service scope ${unknown.join(' ')}: not a scope of ${resource.name} (${resource.identifier})`, field: FIELD });
    const held = byResource.get(resource.id);
    const merged = held ? held.scopes.union(scopes) : scopes;
    byResource.set(resource.id, { resource, scopes: merged.withOffline(false) });
  }
  const scopes = [...byResource.values()].filter((entry) => !entry.scopes.isEmpty).map((entry) => ({ resourceId: entry.resource.id, scope: inCatalogOrder(entry.scopes, entry.resource) }));
  return { scopes, problems };
}

/** The scopes in the order the resource defines them, so the same choice always reads the same. */
function inCatalogOrder(scopes: ScopeSet, resource: KnownResource): string {
  const families = [...resource.catalog.families.keys()].flatMap((name) => {
    const level = scopes.levels.get(name);
    return level === undefined ? [] : [level === 'r' ? name : `${name}:${level}`];
  });
  return [...families, ...[...resource.catalog.plain.keys()].filter((name) => scopes.plain.has(name))].join(' ');
}

/**
 * The resources whose service scopes a change narrows (something allowed before is not now):
 * the app's own tokens for them must end. Widening ends nothing.
 */
export async function narrowedResources(before: readonly ResourceScope[], after: readonly ResourceScope[], ctx: OAuthContext): Promise<number[]> {
  const narrowed: number[] = [];
  for (const part of before) {
    const server = await ctx.store.resourceServers.byId(part.resourceId);
    const catalog = server ? knownResource(server, ctx).catalog : undefined;
    const now = after.find((p) => p.resourceId === part.resourceId);
    if (!now || !catalog || !ScopeSet.fromStored(part.scope, catalog).isSubsetOf(ScopeSet.fromStored(now.scope, catalog))) narrowed.push(part.resourceId);
  }
  return narrowed;
}

/** Ends the app's own tokens for the resources a change of its service scopes narrowed; how many families ended. */
export async function revokeNarrowed(app: App, before: readonly ResourceScope[], ctx: OAuthContext): Promise<number> {
  const narrowed = await narrowedResources(before, app.serviceScopes, ctx);
  if (narrowed.length === 0) return 0;
  return (await ctx.store.clientFamilies.revokeForResources(app.id, narrowed, 'service_scopes_narrowed', ctx.clock.now())).length;
}

/** "source:w" for the built-in API, "https://notes.example/api=notes notes.export" for another: as `--service-scope` takes them. */
export function serviceScopeArgs(scopes: readonly ResourceScope[], resources: ReadonlyMap<number, KnownResource>): string[] {
  return scopes.flatMap((part) => {
    const resource = resources.get(part.resourceId);
    if (!resource) return [];
    return resource.builtIn ? [part.scope] : [`${resource.identifier}=${part.scope}`];
  });
}
