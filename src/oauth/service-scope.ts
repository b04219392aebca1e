// What a client_credentials request may get: the resource it names (or the app's default) and a
// scope within the app's service scopes for that resource (all of them when it names none). The
// scopes read as at authorize: ilert's families with their levels (`source` reads, `source:w`
// also writes), a higher level covering a lower one, and plain scopes by name.
import type { App } from '../domain/app.ts';
import type { OAuthContext } from './context.ts';
import { invalidScope, invalidTarget } from './errors.ts';
import { defaultResource, resourceByIdentifier, type KnownResource } from './resources.ts';
import { OFFLINE_ACCESS, ScopeSet } from './scopes.ts';

export interface ServiceScope {
  resource: KnownResource;
  /** The app's service scopes for the resource: what its own family may mint. */
  allowed: ScopeSet;
  /** The access token's scope. */
  scope: ScopeSet;
}

const named = (resource: KnownResource) => `${resource.name} (${resource.identifier})`;

/** The resource and scope of a client_credentials token, or the RFC error saying what is wrong with the request. */
export async function serviceScope(app: App, requested: { resource?: string; scope?: string }, ctx: OAuthContext): Promise<ServiceScope> {
  const resource = requested.resource === undefined ? await defaultResource(app, ctx) : await resourceByIdentifier(requested.resource, ctx);
  const configured = app.serviceScopes.filter((part) => part.scope.trim() !== '');
  if (configured.length === 0) {
    throw invalidScope(`This app has no service scopes: an admin of its account chooses what client_credentials may ask for (console: the app's service scopes; CLI: gatehouse apps update --service-scope)`);
  }
  const part = configured.find((p) => p.resourceId === resource.id);
  if (!part) {
    const where = requested.resource === undefined ? `its default resource, ${named(resource)}; name one of its resources with resource=` : named(resource);
    throw invalidTarget(`This app has no service scopes for ${where}`);
  }
  const allowed = ScopeSet.fromStored(part.scope, resource.catalog);
  const asked = requested.scope?.trim() ?? '';
  if (asked === '') return { resource, allowed, scope: allowed };

  const { scopes, unknown } = ScopeSet.parse(asked, resource.catalog);
  if (scopes.offline) throw invalidScope(`${OFFLINE_ACCESS} is not for client_credentials: an app's own tokens have no refresh token`);
  if (unknown.length > 0) throw invalidScope(`Unknown scope: ${unknown.join(' ')} is not a scope of ${named(resource)}`);
  const beyond = asked.split(' ').filter((token) => token !== '' && !ScopeSet.fromStored(token, resource.catalog).isSubsetOf(allowed));
  if (beyond.length > 0) {
    throw invalidScope(`Beyond this app's service scopes for ${named(resource)}: ${beyond.join(' ')} (it may ask for ${allowed.toString()})`);
  }
  return { resource, allowed, scope: scopes };
}
