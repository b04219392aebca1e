// The `resource_scopes` column of codes, families and grants: each resource's part of the scope,
// as JSON. Rows from before migration 011 have none; they covered the built-in API alone.
import { BUILT_IN_RESOURCE_ID, type ResourceScope } from '../../domain/resource-server.ts';

const OFFLINE_ACCESS = 'offline_access';

/** The parts a row records; for an older row, its whole scope on the built-in API (without offline_access, a flag of the grant). */
export function toResourceScopes(json: string | null, scope: string): ResourceScope[] {
  if (json === null) return [{ resourceId: BUILT_IN_RESOURCE_ID, scope: scope.split(' ').filter((s) => s !== '' && s !== OFFLINE_ACCESS).join(' ') }];
  return (JSON.parse(json) as { resourceId: number; scope: string }[]).map(({ resourceId, scope: part }) => ({ resourceId: Number(resourceId), scope: String(part) }));
}

export const resourceScopesJson = (resources: readonly ResourceScope[]): string =>
  JSON.stringify(resources.map(({ resourceId, scope }) => ({ resourceId, scope })));
