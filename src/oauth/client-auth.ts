// Client authentication at the token endpoint. The secret is optional per request (ilert decides
// "PKCE-only" per request, not per app), but when sent it must match.
import type { App } from '../domain/app.ts';
import type { OAuthContext } from './context.ts';
import { OAuthError } from './errors.ts';
import { safeEqual, sha256Hex } from './secrets.ts';
import { asInvalidClient, resolveClient } from './client-documents/resolve-client.ts';

export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
  /** The credentials came in an Authorization: Basic header (a failure then needs WWW-Authenticate). */
  viaBasic: boolean;
}

export interface AuthenticatedClient {
  app: App;
  /** The request proved the client secret. */
  secretVerified: boolean;
}

export async function authenticateClient(credentials: ClientCredentials, ctx: OAuthContext): Promise<AuthenticatedClient> {
  // Both answers are 401 invalid_client; each counts toward the client-secret guessing limits.
  const fail = (description: string) => new OAuthError('invalid_client', description, { status: 401, failedClientAuthentication: true });
  if (credentials.clientId === undefined) throw new OAuthError('invalid_request', 'client_id is required');
  const app = await resolveClient(credentials.clientId, ctx).catch(asInvalidClient);
  // The hash is compared even for unknown clients, so timing does not tell which ids exist.
  const presented = credentials.clientSecret === undefined ? undefined : sha256Hex(credentials.clientSecret);
  const matches = presented !== undefined && safeEqual(presented, app?.clientSecretHash ?? '0'.repeat(64));
  if (!app) throw fail('Unknown client');
  if (presented !== undefined && !matches) throw fail('Client authentication failed');
  return { app, secretVerified: matches };
}
