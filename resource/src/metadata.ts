// RFC 9728 protected resource metadata: the document a client holding only the API's URL reads to
// find the authorization server and the scopes, where it lives, and the RFC 6750 challenges that
// point to it from every 401 and 403.
import type { BearerErrorCode } from './failures.ts';

export const PROTECTED_RESOURCE_WELL_KNOWN = '/.well-known/oauth-protected-resource';

export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly bearer_methods_supported: readonly ['header'];
  readonly resource_name?: string;
  readonly resource_documentation?: string;
  readonly [member: string]: unknown;
}

export interface MetadataInput {
  /** The resource identifier: the `aud` of its tokens. */
  resource: string;
  authorizationServers: readonly string[];
  scopesSupported?: readonly string[];
  resourceName?: string;
  resourceDocumentation?: string;
  /** Further members (RFC 9728 §2), copied as given. */
  extra?: Readonly<Record<string, unknown>>;
}

/** The metadata document; bearer tokens go only in the Authorization header here. */
export function protectedResourceMetadata(input: MetadataInput): ProtectedResourceMetadata {
  return {
    ...input.extra,
    resource: input.resource,
    authorization_servers: [...input.authorizationServers],
    ...(input.scopesSupported ? { scopes_supported: [...input.scopesSupported] } : {}),
    bearer_methods_supported: ['header'],
    ...(input.resourceName === undefined ? {} : { resource_name: input.resourceName }),
    ...(input.resourceDocumentation === undefined ? {} : { resource_documentation: input.resourceDocumentation }),
  };
}

/**
 * RFC 9728 §3.1: the well-known path goes between the host and the identifier's path (a trailing
 * `/` right after the host dropped): `https://h/api` → `/.well-known/oauth-protected-resource/api`.
 * The path with any query of the identifier; serve the document there.
 */
export function protectedResourceMetadataPath(resource: string): string {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${PROTECTED_RESOURCE_WELL_KNOWN}${path}${url.search}`;
}

/** The absolute URL of the metadata document, as `resource_metadata` in challenges names it. */
export function protectedResourceMetadataUrl(resource: string): string {
  return `${new URL(resource).origin}${protectedResourceMetadataPath(resource)}`;
}

export interface ChallengeInput {
  /** The metadata URL (RFC 9728 §5.1). */
  resourceMetadata?: string;
  realm?: string;
  error?: BearerErrorCode;
  errorDescription?: string;
  /** insufficient_scope: the scopes needed, space-separated. */
  scope?: string;
}

/**
 * A quoted-string (RFC 9110 §5.6.4). Descriptions and scopes are limited to printable ASCII
 * without `"` and `\` (RFC 6750 §3), so anything else is replaced rather than escaped.
 */
const quoted = (value: string): string => `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?')}"`;

/** A `WWW-Authenticate: Bearer …` value: `Bearer resource_metadata="…", error="invalid_token", …`. */
export function wwwAuthenticate(input: ChallengeInput = {}): string {
  const params: string[] = [];
  if (input.realm !== undefined) params.push(`realm=${quoted(input.realm)}`);
  if (input.resourceMetadata !== undefined) params.push(`resource_metadata=${quoted(input.resourceMetadata)}`);
  if (input.error !== undefined) params.push(`error=${quoted(input.error)}`);
  if (input.errorDescription !== undefined) params.push(`error_description=${quoted(input.errorDescription)}`);
  if (input.scope !== undefined) params.push(`scope=${quoted(input.scope)}`);
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}
