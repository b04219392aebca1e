// Authorization server metadata (RFC 8414): what a standard client needs to find the endpoints
// and learn the rules (PKCE S256 only, `iss` in every authorization response); and the built-in
// API's protected resource metadata (RFC 9728), which tells a client holding only the API's URL
// (an MCP client, say) which authorization server issues its tokens and which scopes it knows.
import type { OAuthContext } from './context.ts';
import { resourceScopes, supportedScopes } from './scopes.ts';
import { GRANT_TYPES } from './grants/index.ts';
import { PROMPT_VALUES } from './prompt.ts';

export const OAUTH_PATHS = {
  authorize: '/api/developers/oauth2/authorize',
  token: '/api/developers/oauth2/token',
  tokenInfo: '/api/developers/oauth2/token_info',
  revoke: '/api/developers/oauth2/revoke',
  revokeAlias: '/oauth2/revoke',
  introspect: '/oauth2/introspect',
  revocationFeed: '/oauth2/revocations',
  jwks: '/.well-known/jwks.json',
  register: '/oauth2/register',
} as const;

/**
 * Where the built-in API's RFC 9728 document is: the well-known name inserted between the host
 * and the resource's path (`/api`), and at the root too for clients that look only there.
 */
export const PROTECTED_RESOURCE_PATHS = {
  pathInserted: '/.well-known/oauth-protected-resource/api',
  root: '/.well-known/oauth-protected-resource',
} as const;

/** The absolute URL of the built-in API's metadata, as 401 answers name it (`resource_metadata`). */
export const resourceMetadataUrl = (ctx: Pick<OAuthContext, 'issuer'>): string => `${ctx.issuer}${PROTECTED_RESOURCE_PATHS.pathInserted}`;

/** RFC 9728 §2 for the built-in API: `resource` is the `aud` of every access token it accepts. */
export function protectedResourceMetadata(ctx: Pick<OAuthContext, 'issuer' | 'audience'>) {
  return {
    resource: ctx.audience,
    authorization_servers: [ctx.issuer],
    jwks_uri: `${ctx.issuer}${OAUTH_PATHS.jwks}`,
    scopes_supported: resourceScopes(),
    bearer_methods_supported: ['header' as const],
    resource_name: 'Gatehouse API (ilert-compatible)',
    resource_documentation: `${ctx.issuer}/docs/api`,
  };
}

export function authorizationServerMetadata(ctx: Pick<OAuthContext, 'issuer' | 'audience' | 'registration'>) {
  const at = (path: string) => `${ctx.issuer}${path}`;
  return {
    issuer: ctx.issuer,
    authorization_endpoint: at(OAUTH_PATHS.authorize),
    token_endpoint: at(OAUTH_PATHS.token),
    revocation_endpoint: at(OAUTH_PATHS.revoke),
    introspection_endpoint: at(OAUTH_PATHS.introspect),
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    // A Gatehouse extension: where resource servers follow revocations (docs/resources.md).
    revocation_feed_endpoint: at(OAUTH_PATHS.revocationFeed),
    jwks_uri: at(OAUTH_PATHS.jwks),
    // RFC 7591: only when clients may register themselves (GATEHOUSE_REGISTRATION token or open).
    ...((ctx.registration?.policy ?? 'off') === 'off' ? {} : { registration_endpoint: at(OAUTH_PATHS.register) }),
    scopes_supported: supportedScopes(),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    // draft-ietf-oauth-client-id-metadata-document: an https URL as client_id is fetched (src/oauth/client-documents/).
    client_id_metadata_document_supported: true,
    // The values of `prompt` the authorization endpoint honours (registered by OpenID Connect's Prompt Create).
    prompt_values_supported: [...PROMPT_VALUES],
    // RFC 9728 §4: the resources whose tokens this server issues.
    protected_resources: [ctx.audience],
  };
}
