// A tenant host is `{tenant}.{public host}` (e.g. acme.localhost:8080): it scopes sign-in to that
// tenant. `app.` and `api.` hosts, and the public host itself, name no tenant.
import { RESERVED_SLUGS, TENANT_SLUG } from '../platform/accounts.ts';

/** The tenant slug a request's host names, if any. */
export function tenantFromHost(hostname: string, publicHostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/:\d+$/, '');
  const base = publicHostname.toLowerCase();
  if (!host.endsWith(`.${base}`)) return undefined;
  const label = host.slice(0, -(base.length + 1));
  if (!TENANT_SLUG.test(label) || RESERVED_SLUGS.has(label)) return undefined;
  return label;
}
