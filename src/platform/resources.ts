// Registering and changing resource servers (the APIs tokens are issued for): an identifier that
// is an absolute URI without fragment or query (RFC 8707 §2), scopes that cannot be confused with
// each other, a token lifetime within bounds, and credentials (`rs_…` and a 64-hex secret shown
// once, stored as its hash). Every change is audited; deleting one ends every token for it.
import { BUILT_IN_RESOURCE_ID, DEFAULT_RESOURCE_TOKEN_LIFETIME, type ResourceServer, type ResourceServerChanges, type ScopeDefinition } from '../domain/resource-server.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { RESOURCE_CLIENT_PREFIX } from '../oauth/resource-auth.ts';
import { identifierProblem } from '../oauth/resources.ts';
import { OFFLINE_ACCESS } from '../oauth/scopes.ts';
import { randomHex, sha256Hex } from '../oauth/secrets.ts';
import type { Actor } from './app-management.ts';
import { RegistrationError, type Problem } from './apps.ts';
import { tokenFamilies } from './audit.ts';

export interface ResourceRegistration {
  identifier: string;
  name: string;
  description?: string;
  scopes: ScopeDefinition[];
  /** Seconds; default 3600. */
  accessTokenLifetime?: number;
}

export type ResourceSettings = Partial<Omit<ResourceRegistration, 'identifier'>>;

export const TOKEN_LIFETIME_BOUNDS = { min: 60, max: 86_400 } as const;
const FAMILY_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;
const MAX_SCOPES = 200;

const throwIfAny = (problems: Problem[]): void => {
  const [first, ...others] = problems;
  if (first) throw RegistrationError.of([first, ...others]);
};

/** Why a resource identifier cannot be registered, or undefined. */
export function resourceIdentifierProblem(identifier: string, ctx: Pick<OAuthContext, 'audience'>): string | undefined {
  const problem = identifierProblem(identifier);
  if (problem) return `The identifier ${problem}`;
  if (new URL(identifier).search !== '' || identifier.includes('?')) return 'The identifier must not have a query (RFC 8707 §2)';
  if (identifier === ctx.audience) return 'The identifier is the built-in API\'s';
  return undefined;
}

/** Everything wrong with a resource's scopes: names that break the grammar, repeats, and plain names a family would claim. */
export function scopeProblems(scopes: readonly ScopeDefinition[]): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string) => problems.push({ message, field: 'scopes' });
  if (scopes.length === 0) add('A resource needs at least one scope');
  if (scopes.length > MAX_SCOPES) add(`A resource may have at most ${MAX_SCOPES} scopes`);
  const families = new Set(scopes.filter((s) => s.kind === 'family').map((s) => s.name));
  const seen = new Set<string>();
  for (const scope of scopes) {
    const quotedName = JSON.stringify(scope.name);
    if (seen.has(scope.name)) add(`The scope ${quotedName} is defined twice`);
    seen.add(scope.name);
    if (scope.name === OFFLINE_ACCESS) add(`${OFFLINE_ACCESS} is not a resource's scope: it asks for a refresh token`);
    const words = scope.kind === 'family' ? scope.noun : scope.description;
    if (words.trim() === '' || words.length > 200) add(`The scope ${quotedName} needs a ${scope.kind === 'family' ? 'noun' : 'description'} of 1 to 200 characters`);
    if (scope.kind === 'family') {
      if (!FAMILY_NAME.test(scope.name)) add(`The family ${quotedName} must be lowercase letters, digits, _ . or - (starting with a letter, at most 64)`);
      continue;
    }
    if (!PLAIN_NAME.test(scope.name)) add(`The scope ${quotedName} must be letters, digits, _ . : / or - (at most 128)`);
    const [family, level] = scope.name.split(':');
    if (family !== undefined && families.has(family) && (level === undefined || ['r', 'w', 'd'].includes(level))) {
      add(`The scope ${quotedName} would read as a level of the family ${JSON.stringify(family)}`);
    }
  }
  return problems;
}

function settingsProblems(input: ResourceSettings): Problem[] {
  const problems: Problem[] = [];
  if (input.name !== undefined && (input.name.trim() === '' || input.name.length > 100)) problems.push({ message: 'The name must be 1 to 100 characters', field: 'name' });
  if (input.description !== undefined && input.description.length > 2000) problems.push({ message: 'The description may be at most 2000 characters', field: 'description' });
  if (input.scopes !== undefined) problems.push(...scopeProblems(input.scopes));
  const lifetime = input.accessTokenLifetime;
  if (lifetime !== undefined && (!Number.isInteger(lifetime) || lifetime < TOKEN_LIFETIME_BOUNDS.min || lifetime > TOKEN_LIFETIME_BOUNDS.max)) {
    problems.push({ message: `The token lifetime must be a whole number of seconds from ${TOKEN_LIFETIME_BOUNDS.min} to ${TOKEN_LIFETIME_BOUNDS.max}`, field: 'accessTokenLifetime' });
  }
  return problems;
}

async function audit(ctx: OAuthContext, type: 'resource_created' | 'resource_updated' | 'resource_deleted', actor: Actor, detail: string): Promise<void> {
  await ctx.audit?.record(type, { userId: actor.userId, origin: actor.origin, detail });
}

const named = (server: Pick<ResourceServer, 'name' | 'identifier'>) => `resource ${JSON.stringify(server.name)} (${server.identifier ?? 'built-in'})`;

/** Everything wrong with a registration (a form adds its own problems and shows them all at once). */
export function resourceRegistrationProblems(input: ResourceRegistration, ctx: Pick<OAuthContext, 'audience'>): Problem[] {
  const identifierIssue = resourceIdentifierProblem(input.identifier, ctx);
  return [
    ...(identifierIssue ? [{ message: identifierIssue, field: 'identifier' }] : []),
    ...settingsProblems({ name: input.name, description: input.description ?? '', scopes: input.scopes, accessTokenLifetime: input.accessTokenLifetime }),
  ];
}

/**
 * Everything wrong with a change. The built-in API's scopes are ilert's, and its tokens live as
 * long as the server's access tokens (knownResource ignores a stored lifetime), so neither changes.
 */
export function resourceChangeProblems(resource: Pick<ResourceServer, 'builtIn'>, settings: ResourceSettings): Problem[] {
  if (!resource.builtIn) return settingsProblems(settings);
  const { scopes, accessTokenLifetime, ...rest } = settings;
  return [
    ...(scopes === undefined ? [] : [{ message: "The built-in API's scopes are ilert's and cannot change", field: 'scopes' }]),
    ...(accessTokenLifetime === undefined ? [] : [{ message: "The built-in API's tokens live as long as the server's access tokens; its lifetime cannot change", field: 'accessTokenLifetime' }]),
    ...settingsProblems(rest),
  ];
}

/** Registers a resource; its client secret is returned once. */
export async function registerResource(input: ResourceRegistration, actor: Actor, ctx: OAuthContext): Promise<{ resource: ResourceServer; clientSecret: string }> {
  throwIfAny(resourceRegistrationProblems(input, ctx));
  const clientSecret = randomHex(32);
  const resource = await ctx.store.resourceServers.create(
    {
      identifier: input.identifier,
      name: input.name.trim(),
      description: input.description ?? '',
      scopes: input.scopes,
      accessTokenLifetime: input.accessTokenLifetime ?? DEFAULT_RESOURCE_TOKEN_LIFETIME,
      clientId: `${RESOURCE_CLIENT_PREFIX}${randomHex(10)}`,
      clientSecretHash: sha256Hex(clientSecret),
    },
    ctx.clock.now(),
  );
  if (!resource) throw new RegistrationError(`A resource with the identifier ${input.identifier} is already registered`, 'identifier');
  await audit(ctx, 'resource_created', actor, `${named(resource)} registered`);
  return { resource, clientSecret };
}

/** Changes a resource's name, description, scopes or lifetime (the built-in API's name and description only). */
export async function updateResource(resource: ResourceServer, settings: ResourceSettings, actor: Actor, ctx: OAuthContext): Promise<ResourceServer> {
  throwIfAny(resourceChangeProblems(resource, settings));
  const changes: ResourceServerChanges = { ...settings, ...(settings.name === undefined ? {} : { name: settings.name.trim() }) };
  const updated = await ctx.store.resourceServers.update(resource.id, changes, ctx.clock.now());
  if (!updated) throw new RegistrationError(`The ${named(resource)} no longer exists`);
  await audit(ctx, 'resource_updated', actor, `${named(updated)} changed: ${Object.keys(settings).join(', ') || 'nothing'}`);
  return updated;
}

/** A new secret for the resource's credentials, shown once; the old one stops working at once. */
export async function rotateResourceSecret(resource: ResourceServer, actor: Actor, ctx: OAuthContext): Promise<{ resource: ResourceServer; clientSecret: string }> {
  const clientSecret = randomHex(32);
  const updated = await ctx.store.resourceServers.update(resource.id, { clientSecretHash: sha256Hex(clientSecret) }, ctx.clock.now());
  if (!updated) throw new RegistrationError(`The ${named(resource)} no longer exists`);
  await audit(ctx, 'resource_updated', actor, `${named(updated)}: secret rotated`);
  return { resource: updated, clientSecret };
}

/** Deletes a resource: every token for it stops working, here and (through the feed) at the resource. */
export async function deleteResource(resource: ResourceServer, actor: Actor, ctx: OAuthContext): Promise<{ revokedFamilies: number }> {
  if (resource.builtIn || resource.id === BUILT_IN_RESOURCE_ID) throw new RegistrationError('The built-in API cannot be deleted');
  const families = await ctx.store.resourceServers.delete(resource.id, ctx.clock.now());
  if (!families) throw new RegistrationError(`The ${named(resource)} no longer exists`);
  await audit(ctx, 'resource_deleted', actor, `${named(resource)} deleted, ${tokenFamilies(families.length)} revoked`);
  return { revokedFamilies: families.length };
}

/** A resource by its id (digits) or its identifier (a URI; the built-in API's too). */
export async function findResource(idOrIdentifier: string, ctx: OAuthContext): Promise<ResourceServer | undefined> {
  if (/^\d+$/.test(idOrIdentifier)) return ctx.store.resourceServers.byId(Number(idOrIdentifier));
  if (idOrIdentifier === ctx.audience) return ctx.store.resourceServers.byId(BUILT_IN_RESOURCE_ID);
  return ctx.store.resourceServers.byIdentifier(idOrIdentifier);
}
