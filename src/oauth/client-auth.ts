// Client authentication at the token endpoint (and every endpoint that authenticates clients the
// same way). An app that names no method keeps ilert's rule: the secret is optional per request
// (ilert decides "PKCE-only" per request, not per app), but when sent it must match. An app that
// names one (RFC 7591 token_endpoint_auth_method) is held to exactly it; see
// docs/client-authentication.md.
import type { App, TokenEndpointAuthMethod } from '../domain/app.ts';
import { assertedClientId, verifyClientAssertion } from './client-assertion.ts';
import type { OAuthContext } from './context.ts';
import { OAuthError } from './errors.ts';
import { safeEqual, sha256Hex } from './secrets.ts';

export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
  /** The credentials came in an Authorization: Basic header (a failure then needs WWW-Authenticate). */
  viaBasic: boolean;
  /** An RFC 7523 client assertion (its client_assertion_type checked by whoever read it). */
  clientAssertion?: string;
}

export interface AuthenticatedClient {
  app: App;
  /** How the request proved the client: 'none' when it proved nothing (a public client, or PKCE alone). */
  method: TokenEndpointAuthMethod;
  /**
   * The client proved itself as confidential (its secret, or a private_key_jwt assertion): what
   * authorization codes without PKCE, refresh tokens of confidential families and introspection need.
   */
  secretVerified: boolean;
}

const fail = (description: string) => new OAuthError('invalid_client', description, { status: 401, failedClientAuthentication: true });

/** How each method is to be used, for the refusal that names the app's method. */
const HOW: Record<TokenEndpointAuthMethod, string> = {
  client_secret_basic: 'client_secret_basic: send the client secret in HTTP Basic, nowhere else',
  client_secret_post: 'client_secret_post: send client_secret in the request body, not in HTTP Basic',
  private_key_jwt: 'private_key_jwt: send a client_assertion signed with its registered key, no client secret',
  none: 'none: it is a public client and sends no client secret (PKCE proves the code)',
};

const wrongMethod = (method: TokenEndpointAuthMethod) => fail(`This app authenticates with ${HOW[method]}`);

/**
 * Authenticates the client. `endpoint`: the absolute URL of the endpoint being called, which an
 * assertion's `aud` may name instead of the issuer.
 */
export async function authenticateClient(credentials: ClientCredentials, ctx: OAuthContext, endpoint?: string): Promise<AuthenticatedClient> {
  if (credentials.clientAssertion !== undefined) return byAssertion(credentials, credentials.clientAssertion, ctx, endpoint);
  if (credentials.clientId === undefined) throw new OAuthError('invalid_request', 'client_id is required');
  const app = await ctx.store.apps.byClientId(credentials.clientId);
  // The hash is compared even for unknown clients (and apps without a secret), so timing does not tell which ids exist.
  const presented = credentials.clientSecret === undefined ? undefined : sha256Hex(credentials.clientSecret);
  const matches = presented !== undefined && safeEqual(presented, app?.clientSecretHash ?? '0'.repeat(64)) && app?.clientSecretHash != null;
  if (!app) throw fail('Unknown client');
  const sent: TokenEndpointAuthMethod = presented === undefined ? 'none' : credentials.viaBasic ? 'client_secret_basic' : 'client_secret_post';
  const method = app.tokenEndpointAuthMethod;
  if (method === null) {
    // ilert's rule, exactly as before: no secret is fine, a wrong one is not.
    if (presented !== undefined && !matches) throw fail('Client authentication failed');
    return { app, method: sent, secretVerified: matches };
  }
  if (sent !== method) throw wrongMethod(method);
  if (method !== 'none' && !matches) throw fail('Client authentication failed');
  return { app, method, secretVerified: method !== 'none' };
}

async function byAssertion(credentials: ClientCredentials, assertion: string, ctx: OAuthContext, endpoint: string | undefined): Promise<AuthenticatedClient> {
  if (credentials.clientSecret !== undefined) throw new OAuthError('invalid_request', 'Use one client authentication method: a client assertion or a client secret, not both');
  const clientId = assertedClientId(assertion);
  if (clientId === undefined) throw fail('The client assertion is not a JWT whose iss and sub are both the client id');
  // RFC 7523 §3: sub is the client id; a client_id sent beside it must be the same.
  if (credentials.clientId !== undefined && credentials.clientId !== clientId) throw fail("client_id differs from the client assertion's sub");
  const app = await ctx.store.apps.byClientId(clientId);
  if (!app) throw fail('Unknown client');
  if (app.tokenEndpointAuthMethod !== 'private_key_jwt') {
    throw app.tokenEndpointAuthMethod === null ? fail('This app authenticates with its client secret (or PKCE alone), not private_key_jwt') : wrongMethod(app.tokenEndpointAuthMethod);
  }
  await verifyClientAssertion(assertion, app, [ctx.issuer, ...(endpoint === undefined ? [] : [endpoint])], ctx);
  return { app, method: 'private_key_jwt', secretVerified: true };
}
