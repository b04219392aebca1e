// OpenID Connect's scopes (Core §5.4) as plain scopes of the built-in API: `openid` turns the OIDC
// layer on, `email` and `phone` select UserInfo claims. ilert's `profile` stays the family it is
// (it still grants /api/users/current); with `openid` it also selects the profile claims.
import type { ScopeDefinition } from '../domain/resource-server.ts';

export const OPENID = 'openid';

export const OIDC_SCOPES: readonly ScopeDefinition[] = [
  { kind: 'plain', name: OPENID, description: 'Sign you in to the app with your account' },
  { kind: 'plain', name: 'email', description: 'See your email address' },
  { kind: 'plain', name: 'phone', description: 'See your phone number' },
];

/** Whether a stored or requested scope string turns OIDC on. */
export const hasOpenId = (scope: string): boolean => scope.split(' ').includes(OPENID);
