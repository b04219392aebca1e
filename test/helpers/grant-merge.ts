// grants.upsert's merge callback for tests whose grants are for the built-in API alone. Not in
// stores.ts: the race workers import this, and a process that imports node:test reports as a test.
import { BUILT_IN_RESOURCE_ID } from '../../src/domain/resource-server.ts';
import type { GrantedScopes } from '../../src/store/store.ts';

/** A grants.upsert merge over scope strings, for grants of the built-in API alone. */
export const onBuiltInApi =
  (merge: (stored: string, added: string) => string) =>
  (stored: GrantedScopes, added: GrantedScopes): GrantedScopes => {
    const scope = merge(stored.scope, added.scope);
    return { scope, resources: [{ resourceId: BUILT_IN_RESOURCE_ID, scope: scope.split(' ').filter((s) => s !== '' && s !== 'offline_access').join(' ') }] };
  };
