// OpenID Connect for a relying party: the provider's discovery document, the ID token's checks
// (Core §3.1.3.7), UserInfo (Core §5.3) and the RP-initiated logout URL (RP-Initiated Logout §2).
import { fetchOf, nowOf, type FetchLike } from './config.ts';
import { fetchMetadata, isUrl } from './discovery.ts';
import { base64url } from './encoding.ts';
import { TokenValidationError, UnexpectedResponseError } from './errors.ts';
import { oauthErrorFrom } from './http.ts';
import { JWS_ALGORITHMS, RemoteJwks, verifyJwt, type JwsAlgorithm } from './jwt.ts';
import { webCrypto } from './pkce.ts';

export interface OpenIdProvider {
  issuer: string;
  jwks: RemoteJwks;
  /** The algorithms its ID tokens may be signed with: its `id_token_signing_alg_values_supported` that this SDK verifies. */
  signingAlgorithms: JwsAlgorithm[];
  userinfoEndpoint?: string;
  /** Absent when the provider has no RP-initiated logout: then sign out locally only. */
  endSessionEndpoint?: string;
  /** The whole discovery document. */
  metadata: Record<string, unknown>;
  fetch?: FetchLike;
  /** The clock, ms since the epoch (default Date.now). */
  now?: () => number;
}

/** Reads `/.well-known/openid-configuration` of `issuer` (Discovery §4) and checks what a relying party needs from it. */
export async function discoverOpenIdProvider(issuer: string, options: { fetch?: FetchLike; now?: () => number } = {}): Promise<OpenIdProvider> {
  const { base, url, metadata: m } = await fetchMetadata(issuer, '/.well-known/openid-configuration', options);
  if (!isUrl(m.jwks_uri)) throw new UnexpectedResponseError(`${url} has no jwks_uri`, 200);
  const advertised = Array.isArray(m.id_token_signing_alg_values_supported) ? m.id_token_signing_alg_values_supported : ['RS256'];
  const signingAlgorithms = JWS_ALGORITHMS.filter((alg) => advertised.includes(alg));
  if (signingAlgorithms.length === 0) throw new UnexpectedResponseError(`${url}: the provider signs ID tokens with none of ${JWS_ALGORITHMS.join(', ')}`, 200);
  return {
    issuer: base,
    jwks: new RemoteJwks(m.jwks_uri, options),
    signingAlgorithms,
    ...(isUrl(m.userinfo_endpoint) ? { userinfoEndpoint: m.userinfo_endpoint } : {}),
    ...(isUrl(m.end_session_endpoint) ? { endSessionEndpoint: m.end_session_endpoint } : {}),
    metadata: m,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
}

/** The claims of a valid ID token. */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  auth_time?: number;
  nonce?: string;
  azp?: string;
  at_hash?: string;
  sid?: string;
  [claim: string]: unknown;
}

export interface IdTokenChecks {
  clientId: string;
  /** The nonce sent in the authorization request: the token must carry exactly this one. */
  nonce?: string;
  /** The access token of the same response: `at_hash`, when present, must be its hash. */
  accessToken?: string;
  /** Clock skew tolerated on `exp` and `iat`, in seconds (default 60). */
  leewaySeconds?: number;
}

const DEFAULT_LEEWAY_SECONDS = 60;

/** `iss`, `aud` (with `azp`), `exp` and `iat`: the checks an ID token and a logout token share. */
export function checkIssuedClaims(claims: Record<string, unknown>, provider: OpenIdProvider, clientId: string, leewaySeconds = DEFAULT_LEEWAY_SECONDS): void {
  if (claims.iss !== provider.issuer) throw new TokenValidationError('issuer', `the token comes from issuer ${String(claims.iss)}, not ${provider.issuer}`);
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(clientId)) throw new TokenValidationError('audience', `the token is for ${JSON.stringify(aud)}, not this client (${clientId})`);
  // Core §3.1.3.7 (4, 5): several audiences need an azp, and an azp must be this client.
  if ((audiences.length > 1 && claims.azp === undefined) || (claims.azp !== undefined && claims.azp !== clientId)) {
    throw new TokenValidationError('azp', `the token's authorized party is ${String(claims.azp)}, not this client (${clientId})`);
  }
  const now = nowOf(provider) / 1000;
  if (typeof claims.exp !== 'number' || claims.exp + leewaySeconds <= now) throw new TokenValidationError('expired', 'the token has expired (or has no exp)');
  if (typeof claims.iat !== 'number' || claims.iat - leewaySeconds > now) throw new TokenValidationError('issued_at', 'the token has no iat, or one in the future');
}

/** at_hash (Core §3.1.3.6): the left half of the access token's hash, SHA-256 for RS256 and ES256, SHA-512 for EdDSA (Ed25519). */
export async function accessTokenHash(accessToken: string, alg: JwsAlgorithm): Promise<string> {
  const digest = new Uint8Array(await webCrypto().subtle.digest(alg === 'EdDSA' ? 'SHA-512' : 'SHA-256', new TextEncoder().encode(accessToken)));
  return base64url(digest.subarray(0, digest.length / 2));
}

/** Verifies an ID token's signature with the provider's keys and checks its claims; returns them. */
export async function validateIdToken(provider: OpenIdProvider, idToken: string, checks: IdTokenChecks): Promise<IdTokenClaims> {
  const { header, claims } = await verifyJwt(idToken, provider.jwks, provider.signingAlgorithms);
  checkIssuedClaims(claims, provider, checks.clientId, checks.leewaySeconds);
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new TokenValidationError('subject', 'the ID token has no sub');
  if (checks.nonce !== undefined && claims.nonce !== checks.nonce) throw new TokenValidationError('nonce', 'the ID token does not carry the nonce this sign-in sent');
  if (checks.accessToken !== undefined && claims.at_hash !== undefined) {
    if (claims.at_hash !== (await accessTokenHash(checks.accessToken, header.alg as JwsAlgorithm))) {
      throw new TokenValidationError('at_hash', "the ID token's at_hash does not match the access token");
    }
  }
  return claims as IdTokenClaims;
}

/**
 * UserInfo's claims for an access token. `expectedSubject` is the ID token's `sub`: a different
 * one means the answer is about someone else (Core §5.3.4) and is refused.
 */
export async function fetchUserInfo(provider: OpenIdProvider, accessToken: string, expectedSubject: string): Promise<Record<string, unknown>> {
  const url = provider.userinfoEndpoint;
  if (!url) throw new UnexpectedResponseError(`${provider.issuer} has no userinfo_endpoint`, 404);
  const response = await fetchOf(provider)(url, { headers: { accept: 'application/json', authorization: `Bearer ${accessToken}` } });
  const body: unknown = await response.json().catch(() => undefined);
  const object = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (!response.ok) throw (object && oauthErrorFrom(object, response.status)) ?? new UnexpectedResponseError(`${url} answered ${response.status}`, response.status);
  if (!object) throw new UnexpectedResponseError(`${url} answered ${response.status} without a JSON object`, response.status);
  if (object.sub !== expectedSubject) throw new TokenValidationError('subject', `UserInfo answered for sub ${String(object.sub)}, not ${expectedSubject}`);
  return object;
}

export interface EndSessionParams {
  clientId: string;
  /** The ID token of the session: with it the provider can skip asking "sign out?". */
  idTokenHint?: string;
  /** A post-logout URI registered for the app; the provider sends the browser there afterwards. */
  postLogoutRedirectUri?: string;
  /** Comes back with the browser to postLogoutRedirectUri: check it there. */
  state?: string;
}

/** The provider's end_session_endpoint with the logout request, or undefined when it has none (then sign out locally). */
export function buildEndSessionUrl(provider: OpenIdProvider, params: EndSessionParams): string | undefined {
  if (!provider.endSessionEndpoint) return undefined;
  const url = new URL(provider.endSessionEndpoint);
  url.searchParams.set('client_id', params.clientId);
  if (params.idTokenHint !== undefined) url.searchParams.set('id_token_hint', params.idTokenHint);
  if (params.postLogoutRedirectUri !== undefined) url.searchParams.set('post_logout_redirect_uri', params.postLogoutRedirectUri);
  if (params.state !== undefined) url.searchParams.set('state', params.state);
  return url.toString();
}
