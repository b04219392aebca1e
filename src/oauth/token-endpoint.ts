// The token endpoint: find the grant, authenticate the client, check its app may use the grant,
// then let the grant issue (grants/).
import type { RequestOrigin } from '../domain/audit.ts';
import { authenticateClient, type ClientCredentials } from './client-auth.ts';
import type { OAuthContext } from './context.ts';
import { OAuthError } from './errors.ts';
import { grantFor } from './grants/index.ts';
import { OAUTH_PATHS } from './metadata.ts';
import { clientLabel } from './metrics.ts';
import type { TokenResponse } from './issue-tokens.ts';

export interface TokenRequest {
  /** The request's parameters (grant_type and whatever its grant reads), each a string at most once. */
  params: Partial<Record<string, string>>;
  client: ClientCredentials;
  /** Where the request came from, for the audit log. */
  origin?: RequestOrigin;
}

export async function handleTokenRequest(req: TokenRequest, ctx: OAuthContext): Promise<TokenResponse> {
  const type = req.params.grant_type;
  if (type === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
  const grant = grantFor(type);
  if (!grant) throw new OAuthError('unsupported_grant_type', `grant_type ${type} is not supported`);
  const client = await authenticateClient(req.client, ctx, `${ctx.issuer}${OAUTH_PATHS.token}`);
  // A disabled app gets no tokens by any grant. Said only once the client authenticated, and not
  // counted as guessing: it is the app's own state.
  if (client.app.disabledAt !== null) throw new OAuthError('invalid_client', 'This app is disabled; an admin of its account can enable it again', { status: 401 });
  if (!client.app.grantTypes.includes(grant.type)) throw new OAuthError('unauthorized_client', `This app may not use grant_type ${grant.type}`);
  const response = await grant.handle({ params: req.params, client, origin: req.origin }, ctx);
  ctx.metrics?.tokensIssued(grant.type, clientLabel(client.app));
  return response;
}
