// OpenID Connect's `login_hint` read as one of our accounts: it prefills the sign-in form and
// says whether the signed-in user is the one the app expects. Never trusted for anything more.
import { TENANT_SLUG } from './accounts.ts';

/**
 * The account a `login_hint` names, for prefilling the sign-in form: `jane` is a username;
 * `jane@acme`, whose part after the last `@` could be an account's short name, is user `jane` of
 * account `acme` — unless the host names another account, where the whole hint is the username
 * (usernames may hold `@`). An email address (`jane@acme.example`) is a username as it stands.
 */
export function loginHintAccount(hint: string, hostTenant: string | undefined): { username: string; tenant?: string } {
  const at = hint.lastIndexOf('@');
  const tenant = at > 0 ? hint.slice(at + 1).toLowerCase() : '';
  if (!TENANT_SLUG.test(tenant) || (hostTenant !== undefined && tenant !== hostTenant)) return { username: hint };
  return { username: hint.slice(0, at), tenant };
}

/** Whether a `login_hint` may name this user: as a username alone, or as username@account. */
export function loginHintNames(hint: string, user: { username: string }, tenant: { slug: string }): boolean {
  const named = loginHintAccount(hint, undefined);
  return hint === user.username || (named.username === user.username && named.tenant === tenant.slug);
}
