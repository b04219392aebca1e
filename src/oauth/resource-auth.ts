// A resource server proving who it is (its own client id and secret, `rs_…`) to introspect the
// tokens issued for it and to read its revocation feed. Deleted resources still authenticate: a
// follower must learn that its tokens are gone.
import type { ResourceServer } from '../domain/resource-server.ts';
import type { ClientCredentials } from './client-auth.ts';
import type { OAuthContext } from './context.ts';
import { OAuthError } from './errors.ts';
import { safeEqual, sha256Hex } from './secrets.ts';

/** Resource servers' client ids start so; apps' are 20 hex characters, so the two never meet. */
export const RESOURCE_CLIENT_PREFIX = 'rs_';

export const isResourceClientId = (clientId: string | undefined): boolean => clientId?.startsWith(RESOURCE_CLIENT_PREFIX) ?? false;

export async function authenticateResource(credentials: ClientCredentials, ctx: OAuthContext): Promise<ResourceServer> {
  const fail = (description: string) => new OAuthError('invalid_client', description, { status: 401, failedClientAuthentication: true });
  if (credentials.clientId === undefined) throw fail('The resource server\'s client_id and client_secret are required (HTTP Basic)');
  const server = await ctx.store.resourceServers.byClientId(credentials.clientId);
  // The hash is compared even for unknown ids, so timing does not tell which exist.
  const presented = sha256Hex(credentials.clientSecret ?? '');
  const matches = safeEqual(presented, server?.clientSecretHash ?? '0'.repeat(64));
  if (!server || credentials.clientSecret === undefined || !matches) throw fail('Resource server authentication failed');
  return server;
}
