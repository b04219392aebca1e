// The token endpoint: dispatch on grant_type.
import type { RequestOrigin } from '../domain/audit.ts';
import type { ClientCredentials } from './client-auth.ts';
import type { OAuthContext } from './context.ts';
import { OAuthError } from './errors.ts';
import { authorizationCodeGrant } from './grants/authorization-code.ts';
import { refreshTokenGrant } from './grants/refresh-token.ts';
import type { TokenResponse } from './issue-tokens.ts';
import type { IssuingGrant } from './metrics.ts';

export interface TokenRequest {
  grantType?: string;
  code?: string;
  codeVerifier?: string;
  redirectUri?: string;
  refreshToken?: string;
  scope?: string;
  client: ClientCredentials;
  /** Where the request came from, for the audit log. */
  origin?: RequestOrigin;
}

export const SUPPORTED_GRANT_TYPES = ['authorization_code', 'refresh_token'] as const;

export async function handleTokenRequest(req: TokenRequest, ctx: OAuthContext): Promise<TokenResponse> {
  switch (req.grantType) {
    case undefined:
      throw new OAuthError('invalid_request', 'grant_type is required');
    case 'authorization_code':
      return issued('authorization_code', req, await authorizationCodeGrant(req, ctx), ctx);
    case 'refresh_token':
      return issued('refresh_token', req, await refreshTokenGrant(req, ctx), ctx);
    default:
      throw new OAuthError('unsupported_grant_type', `grant_type ${req.grantType} is not supported`);
  }
}

/** Counts a token response for the metrics; the client is authenticated by now, so its id is the app's. */
function issued(grantType: IssuingGrant, req: TokenRequest, response: TokenResponse, ctx: OAuthContext): TokenResponse {
  ctx.metrics?.tokensIssued(grantType, req.client.clientId ?? '');
  return response;
}
