// How an app describes the server and itself to the SDK, and the endpoint URLs derived from it.
// The defaults are ilert's (and Gatehouse's) paths under `baseUrl`.

/** `fetch` as the SDK calls it; tests and servers may pass their own. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface Endpoints {
  authorize: string;
  token: string;
  /** ilert's token_info (access tokens only). */
  tokenInfo: string;
  revoke: string;
}

/** ilert's paths, served by Gatehouse on every host (src/oauth/metadata.ts OAUTH_PATHS). */
export const DEFAULT_PATHS: Readonly<Endpoints> = {
  authorize: '/api/developers/oauth2/authorize',
  token: '/api/developers/oauth2/token',
  tokenInfo: '/api/developers/oauth2/token_info',
  revoke: '/api/developers/oauth2/revoke',
};

/** How a confidential client sends its secret to the token endpoint. */
export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic';

export interface ClientConfig {
  /** The server, e.g. `https://app.ilert.com` or `http://localhost:8080`; endpoints default to paths under it. */
  baseUrl: string;
  clientId: string;
  /** Only for confidential (backend) clients. Never put a secret in browser code. */
  clientSecret?: string;
  /** How the secret is sent (default `client_secret_post`, the way ilert's guide sends it). */
  clientAuthMethod?: ClientAuthMethod;
  /** The registered redirect URL; used by buildAuthorizeUrl and sent with the code exchange. */
  redirectUri?: string;
  /**
   * The issuer the callback's `iss` must equal (RFC 9207). Default: `baseUrl` without a trailing
   * slash. Gatehouse's issuer is its PUBLIC_URL, also when you authorize on a tenant host.
   */
  issuer?: string;
  /** Refuse a callback without `iss` (set by discover() when the server advertises it). Default false: ilert sends none. */
  requireIss?: boolean;
  /** Per-endpoint overrides (absolute URLs). */
  endpoints?: Partial<Endpoints>;
  fetch?: FetchLike;
  /** The clock, in milliseconds since the epoch (default Date.now). */
  now?: () => number;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function resolveEndpoints(config: ClientConfig): Endpoints {
  const base = trimSlash(config.baseUrl);
  return {
    authorize: config.endpoints?.authorize ?? base + DEFAULT_PATHS.authorize,
    token: config.endpoints?.token ?? base + DEFAULT_PATHS.token,
    tokenInfo: config.endpoints?.tokenInfo ?? base + DEFAULT_PATHS.tokenInfo,
    revoke: config.endpoints?.revoke ?? base + DEFAULT_PATHS.revoke,
  };
}

export function expectedIssuer(config: ClientConfig): string {
  return trimSlash(config.issuer ?? config.baseUrl);
}

/** The fetch to call. Called as a plain function: a detached `window.fetch` called as a method of another object throws "Illegal invocation". */
export function fetchOf(config: Pick<ClientConfig, 'fetch'>): FetchLike {
  const custom = config.fetch;
  return custom ? (input, init) => custom(input, init) : (input, init) => globalThis.fetch(input, init);
}

export function nowOf(config: Pick<ClientConfig, 'now'>): number {
  return config.now ? config.now() : Date.now();
}
