// What one authorization covers when it names several resources: each resource's part of the
// requested scope (a token belongs to every requested resource that defines it), the offline
// flag, and the one scope string codes, families and grants record beside the parts.
import type { ResourceScope } from '../domain/resource-server.ts';
import type { GrantedScopes } from '../store/store.ts';
import { invalidScope } from './errors.ts';
import type { KnownResource } from './resources.ts';
import { OFFLINE_ACCESS, ScopeSet } from './scopes.ts';

export interface ResourcePart {
  resource: KnownResource;
  /** Its scopes, without offline_access. */
  scopes: ScopeSet;
}

export interface GrantScope {
  parts: ResourcePart[];
  offline: boolean;
}

/**
 * Splits a requested scope over the requested resources. A token no resource defines is
 * invalid_scope, naming it; so is a resource the request named that gets no scope at all.
 */
export function splitScope(value: string, resources: readonly KnownResource[], named: boolean): GrantScope {
  const tokens = value.split(' ').filter((token) => token !== '');
  const offline = tokens.includes(OFFLINE_ACCESS);
  const unknown = tokens.filter((token) => token !== OFFLINE_ACCESS && !resources.some((r) => r.catalog.classify(token) !== undefined));
  if (unknown.length > 0) {
    const where = resources.length === 1 ? `${resources[0]?.name} (${resources[0]?.identifier})` : `any of the requested resources (${resources.map((r) => r.identifier).join(', ')})`;
    throw invalidScope(`Unknown scope: ${unknown.join(' ')} is not a scope of ${where}`);
  }
  const parts = resources.map((resource) => ({ resource, scopes: ScopeSet.parse(value, resource.catalog).scopes.withOffline(false) }));
  if (named) {
    const empty = parts.find((part) => part.scopes.isEmpty);
    if (empty) throw invalidScope(`No scope of ${empty.resource.name} (${empty.resource.identifier}) was requested; name one of its scopes or leave the resource out`);
  }
  if (!offline && parts.every((part) => part.scopes.isEmpty)) throw invalidScope('scope must name at least one scope');
  return { parts, offline };
}

/** The one scope string: every part's scopes in resource order, repeats once, offline_access last. */
export function scopeString(grant: GrantScope): string {
  const words = new Set(grant.parts.flatMap((part) => part.scopes.toString().split(' ').filter((w) => w !== '')));
  if (grant.offline) words.add(OFFLINE_ACCESS);
  return [...words].join(' ');
}

export const resourceScopesOf = (grant: GrantScope): ResourceScope[] => grant.parts.map((part) => ({ resourceId: part.resource.id, scope: part.scopes.toString() }));

export const hasOffline = (scope: string): boolean => scope.split(' ').includes(OFFLINE_ACCESS);

/** Whether a stored consent covers every part of a request (each resource's own scopes) and its offline flag. */
export function isCovered(request: GrantScope, granted: GrantedScopes): boolean {
  if (request.offline && !hasOffline(granted.scope)) return false;
  return request.parts.every((part) => {
    const stored = granted.resources.find((r) => r.resourceId === part.resource.id);
    return stored !== undefined && part.scopes.isSubsetOf(ScopeSet.fromStored(stored.scope, part.resource.catalog));
  });
}

/** A consent folded into the stored one: each resource's scopes united, other resources kept. */
export function mergeGranted(request: GrantScope) {
  return (stored: GrantedScopes, added: GrantedScopes): GrantedScopes => {
    const merged = stored.resources.map((part) => {
      const asked = request.parts.find((p) => p.resource.id === part.resourceId);
      return asked ? { resourceId: part.resourceId, scope: ScopeSet.fromStored(part.scope, asked.resource.catalog).union(asked.scopes).toString() } : part;
    });
    for (const part of added.resources) if (!merged.some((m) => m.resourceId === part.resourceId)) merged.push(part);
    const words = new Set(merged.flatMap((part) => part.scope.split(' ').filter((w) => w !== '')));
    if (hasOffline(stored.scope) || hasOffline(added.scope)) words.add(OFFLINE_ACCESS);
    return { scope: [...words].join(' '), resources: merged };
  };
}

/** The scope an access token for one granted resource carries: its part, with offline_access when granted. */
export function tokenScope(part: ResourceScope, grantScope: string): string {
  const words = part.scope.split(' ').filter((w) => w !== '');
  if (hasOffline(grantScope)) words.push(OFFLINE_ACCESS);
  return words.join(' ');
}
