// Resource servers as the protocol sees them (RFC 8707): the `resource` values of a request read
// and checked, the app's default when it names none, and each resource's catalog and lifetime.
// The built-in API needs no store read: its identifier is `{issuer}/api` and its scopes ilert's.
import type { App } from '../domain/app.ts';
import { BUILT_IN_RESOURCE_ID, DEFAULT_RESOURCE_TOKEN_LIFETIME, type ResourceScope, type ResourceServer } from '../domain/resource-server.ts';
import type { OAuthContext } from './context.ts';
import { invalidGrant, invalidTarget } from './errors.ts';
import { BUILT_IN_CATALOG, ScopeCatalog } from './scopes.ts';

/** A resource a token may be minted for: where its tokens go (`aud`), what scopes it knows, how long they live. */
export interface KnownResource {
  id: number;
  identifier: string;
  name: string;
  builtIn: boolean;
  catalog: ScopeCatalog;
  /** Seconds its access tokens live. */
  accessTokenLifetime: number;
}

/** Longest `resource` value read: an identifier is a URI, not a document. */
export const MAX_RESOURCE_LENGTH = 2048;
/** Most `resource` values one authorization request may name. */
export const MAX_RESOURCES_PER_REQUEST = 10;

const BUILT_IN_NAME = 'Gatehouse API';

export function builtInResource(ctx: Pick<OAuthContext, 'audience' | 'lifetimes'>): KnownResource {
  return { id: BUILT_IN_RESOURCE_ID, identifier: ctx.audience, name: BUILT_IN_NAME, builtIn: true, catalog: BUILT_IN_CATALOG, accessTokenLifetime: ctx.lifetimes.accessToken };
}

const catalogs = new WeakMap<ResourceServer['scopes'], ScopeCatalog>();

/** The protocol's view of a stored resource (the built-in API's row resolves to builtInResource). */
export function knownResource(server: ResourceServer, ctx: Pick<OAuthContext, 'audience' | 'lifetimes'>): KnownResource {
  if (server.builtIn) return { ...builtInResource(ctx), name: server.name };
  let catalog = catalogs.get(server.scopes);
  if (!catalog) catalogs.set(server.scopes, (catalog = new ScopeCatalog(server.scopes)));
  return {
    id: server.id,
    identifier: server.identifier ?? '',
    name: server.name,
    builtIn: false,
    catalog,
    accessTokenLifetime: server.accessTokenLifetime ?? DEFAULT_RESOURCE_TOKEN_LIFETIME,
  };
}

/** Why a `resource` value is not an identifier (RFC 8707 §2: an absolute URI without a fragment), or undefined. */
export function identifierProblem(value: string): string | undefined {
  if (value.length > MAX_RESOURCE_LENGTH) return `is longer than ${MAX_RESOURCE_LENGTH} characters`;
  if (value.includes('#')) return 'must not have a fragment';
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value) || !URL.canParse(value)) return 'must be an absolute URI';
  return undefined;
}

const shown = (value: string) => JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);

/** The live resource a `resource` value names, or invalid_target. */
export async function resourceByIdentifier(value: string, ctx: OAuthContext): Promise<KnownResource> {
  const problem = identifierProblem(value);
  if (problem) throw invalidTarget(`resource ${shown(value)} ${problem}`);
  if (value === ctx.audience) return builtInResource(ctx);
  const server = await ctx.store.resourceServers.byIdentifier(value);
  if (!server) throw invalidTarget(`No resource ${shown(value)} is registered here`);
  return knownResource(server, ctx);
}

/** The resource of a request that names none: the app's default, or the built-in API. */
export async function defaultResource(app: App, ctx: OAuthContext): Promise<KnownResource> {
  if (app.defaultResourceId === null || app.defaultResourceId === BUILT_IN_RESOURCE_ID) return builtInResource(ctx);
  const server = await ctx.store.resourceServers.byId(app.defaultResourceId);
  return server ? knownResource(server, ctx) : builtInResource(ctx);
}

/** The resources an authorization request names, in order and without repeats; none named: the app's default. */
export async function requestedResources(values: readonly string[], app: App, ctx: OAuthContext): Promise<{ resources: KnownResource[]; named: boolean }> {
  if (values.length === 0) return { resources: [await defaultResource(app, ctx)], named: false };
  const distinct = [...new Set(values)];
  if (distinct.length > MAX_RESOURCES_PER_REQUEST) throw invalidTarget(`A request may name at most ${MAX_RESOURCES_PER_REQUEST} resources`);
  const resources: KnownResource[] = [];
  for (const value of distinct) resources.push(await resourceByIdentifier(value, ctx));
  return { resources, named: true };
}

/** The live resources of these ids, in the order given (a deleted one is left out). */
export async function resourcesByIds(ids: readonly number[], ctx: OAuthContext): Promise<KnownResource[]> {
  const others = ids.filter((id) => id !== BUILT_IN_RESOURCE_ID);
  const stored = new Map((await ctx.store.resourceServers.byIds(others)).map((server) => [server.id, knownResource(server, ctx)]));
  return ids.flatMap((id) => {
    const resource = id === BUILT_IN_RESOURCE_ID ? builtInResource(ctx) : stored.get(id);
    return resource ? [resource] : [];
  });
}

/**
 * The resource a token request's access token is for, of those its code or refresh token was
 * granted: the one it names (RFC 8707 §2.2), else the app's default if granted, else the first.
 */
export async function grantedResource(requested: string | undefined, granted: readonly ResourceScope[], app: App, ctx: OAuthContext): Promise<{ resource: KnownResource; part: ResourceScope }> {
  let wanted: number;
  if (requested !== undefined) {
    wanted = (await resourceByIdentifier(requested, ctx)).id;
    if (!granted.some((part) => part.resourceId === wanted)) {
      throw invalidTarget(`resource ${shown(requested)} was not granted to this authorization; ask for it at the authorization endpoint first`);
    }
  } else {
    const preferred = app.defaultResourceId ?? BUILT_IN_RESOURCE_ID;
    wanted = granted.some((part) => part.resourceId === preferred) ? preferred : (granted[0]?.resourceId ?? BUILT_IN_RESOURCE_ID);
  }
  const [resource] = await resourcesByIds([wanted], ctx);
  const part = granted.find((p) => p.resourceId === wanted);
  if (!resource || !part) throw invalidGrant('The resource of this grant no longer exists');
  return { resource, part };
}
