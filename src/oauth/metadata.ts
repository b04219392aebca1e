// Authorization server metadata (RFC 8414): what a standard client needs to find the endpoints
// and learn the rules (PKCE S256 only, `iss` in every authorization response).
import type { OAuthContext } from './context.ts';
import { supportedScopes } from './scopes.ts';
import { GRANT_TYPES } from './grants/index.ts';
import { PROMPT_VALUES } from './prompt.ts';

export const OAUTH_PATHS = {
  authorize: '/api/developers/oauth2/authorize',
  token: '/api/developers/oauth2/token',
  tokenInfo: '/api/developers/oauth2/token_info',
  revoke: '/api/developers/oauth2/revoke',
  revokeAlias: '/oauth2/revoke',
  introspect: '/oauth2/introspect',
  jwks: '/.well-known/jwks.json',
} as const;

export function authorizationServerMetadata(ctx: Pick<OAuthContext, 'issuer'>) {
  const at = (path: string) => `${ctx.issuer}${path}`;
  return {
    issuer: ctx.issuer,
    authorization_endpoint: at(OAUTH_PATHS.authorize),
    token_endpoint: at(OAUTH_PATHS.token),
    revocation_endpoint: at(OAUTH_PATHS.revoke),
    introspection_endpoint: at(OAUTH_PATHS.introspect),
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    jwks_uri: at(OAUTH_PATHS.jwks),
    scopes_supported: supportedScopes(),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    // The values of `prompt` the authorization endpoint honours (registered by OpenID Connect's Prompt Create).
    prompt_values_supported: [...PROMPT_VALUES],
  };
}
