// The authorization server's RFC 8414 metadata: where its keys, introspection and revocation feed
// are. The issuer it names must be the one configured (RFC 8414 §3.3), or a server could hand
// out another's keys.
import { AuthorizationServerError, ResourceKitError } from './failures.ts';
import { callJson, type FetchLike } from './http.ts';

/** The endpoints the kit uses; give them in the options to skip discovery. */
export interface ServerEndpoints {
  readonly jwks_uri: string;
  readonly introspection_endpoint?: string;
  /** Gatehouse's extension: `{issuer}/oauth2/revocations`. */
  readonly revocation_feed_endpoint?: string;
}

export const DISCOVERY_PATH = '/.well-known/oauth-authorization-server';

const absoluteUrl = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

/** Checks an issuer identifier: an absolute http(s) URL without query or fragment, kept as given. */
export function checkIssuer(issuer: string): string {
  if (!absoluteUrl(issuer) || issuer.includes('?') || issuer.includes('#')) {
    throw new ResourceKitError(`issuer must be an absolute http(s) URL without query or fragment, not ${JSON.stringify(issuer)}`);
  }
  return issuer;
}

/** RFC 8414 §3: the well-known path goes between the host and any path of the issuer. */
export function discoveryUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}${DISCOVERY_PATH}${path}`;
}

export async function discover(issuer: string, fetch: FetchLike, timeoutMs: number, signal?: AbortSignal): Promise<ServerEndpoints> {
  const url = discoveryUrl(issuer);
  const metadata = await callJson(url, { fetch, timeoutMs, ...(signal ? { signal } : {}) });
  if (metadata.issuer !== issuer) {
    throw new AuthorizationServerError(`${url} names the issuer ${JSON.stringify(metadata.issuer)}, not ${JSON.stringify(issuer)}`);
  }
  if (!absoluteUrl(metadata.jwks_uri)) throw new AuthorizationServerError(`${url} has no jwks_uri`);
  const optional = (name: 'introspection_endpoint' | 'revocation_feed_endpoint') => {
    const value = metadata[name];
    return absoluteUrl(value) ? { [name]: value } : {};
  };
  return { jwks_uri: metadata.jwks_uri, ...optional('introspection_endpoint'), ...optional('revocation_feed_endpoint') };
}
