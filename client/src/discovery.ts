// RFC 8414 discovery: reads /.well-known/oauth-authorization-server and returns the part of a
// ClientConfig it determines, so `{ ...(await discover(url)), clientId }` is a complete config.
// fetchMetadata is shared with OpenID Connect discovery (oidc.ts).
import { DEFAULT_PATHS, fetchOf, type Endpoints, type FetchLike } from './config.ts';
import { UnexpectedResponseError } from './errors.ts';

export interface DiscoveredServer {
  baseUrl: string;
  issuer: string;
  requireIss: boolean;
  endpoints: Endpoints;
  /** The whole metadata document, for anything else it names (jwks_uri, scopes_supported, …). */
  metadata: Record<string, unknown>;
}

export const isUrl = (value: unknown): value is string => typeof value === 'string' && URL.canParse(value);

/**
 * Fetches the metadata document at `path` under `issuer` and checks it names that issuer
 * (RFC 8414 §3.3, OpenID Connect Discovery §4.3): a document naming another one is not to be used.
 */
export async function fetchMetadata(issuer: string, path: string, options: { fetch?: FetchLike } = {}): Promise<{ base: string; url: string; metadata: Record<string, unknown> }> {
  const base = issuer.replace(/\/+$/, '');
  const url = `${base}${path}`;
  const response = await fetchOf(options)(url, { headers: { accept: 'application/json' } });
  const metadata: unknown = response.ok ? await response.json().catch(() => undefined) : undefined;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new UnexpectedResponseError(`${url} answered ${response.status} without a metadata document`, response.status);
  }
  const m = metadata as Record<string, unknown>;
  if (m.issuer !== base) throw new UnexpectedResponseError(`${url} names issuer ${String(m.issuer)}, not ${base}`, response.status);
  return { base, url, metadata: m };
}

/** Fetches and checks the metadata of the server at `issuer` (its PUBLIC_URL). */
export async function discover(issuer: string, options: { fetch?: FetchLike } = {}): Promise<DiscoveredServer> {
  const { base, url, metadata: m } = await fetchMetadata(issuer, '/.well-known/oauth-authorization-server', options);
  if (!isUrl(m.authorization_endpoint) || !isUrl(m.token_endpoint)) {
    throw new UnexpectedResponseError(`${url} lacks authorization_endpoint or token_endpoint`, 200);
  }
  const methods = m.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes('S256')) {
    throw new UnexpectedResponseError(`${url}: the server does not support PKCE S256`, 200);
  }
  return {
    baseUrl: base,
    issuer: base,
    requireIss: m.authorization_response_iss_parameter_supported === true,
    endpoints: {
      authorize: m.authorization_endpoint,
      token: m.token_endpoint,
      // token_info is ilert's own endpoint, not in RFC 8414: its usual path under the issuer.
      tokenInfo: base + DEFAULT_PATHS.tokenInfo,
      revoke: isUrl(m.revocation_endpoint) ? m.revocation_endpoint : base + DEFAULT_PATHS.revoke,
    },
    metadata: m,
  };
}

