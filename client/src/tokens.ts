// The token endpoint: trading a code for tokens and refreshing them. Answers become a TokenSet
// with absolute expiry times, the form the TokenManager stores.
import { nowOf, resolveEndpoints, type ClientConfig } from './config.ts';
import { UnexpectedResponseError } from './errors.ts';
import { postClientForm, type JsonObject } from './http.ts';

/** Tokens as the SDK keeps them. Plain JSON, so any storage can hold it. */
export interface TokenSet {
  accessToken: string;
  tokenType: 'Bearer';
  /** When the access token expires, in ms since the epoch (undefined: the server did not say). */
  expiresAt?: number;
  /** The scope granted, space separated. */
  scope?: string;
  refreshToken?: string;
  /** When the refresh token expires, in ms since the epoch. */
  refreshTokenExpiresAt?: number;
  /** OpenID Connect: the ID token of an `openid` grant, as received (check it with validateIdToken). */
  idToken?: string;
}

const seconds = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

/** Validates a token response (RFC 6749 §5.1) and turns relative lifetimes into times. */
export function tokenSetFrom(body: JsonObject, now: number): TokenSet {
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new UnexpectedResponseError('the token response has no access_token', 200);
  }
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
    throw new UnexpectedResponseError(`the token response has token_type ${String(body.token_type)}, not Bearer`, 200);
  }
  const expiresIn = seconds(body.expires_in);
  const refreshExpiresIn = seconds(body.refresh_token_expires_in);
  const tokens: TokenSet = { accessToken: body.access_token, tokenType: 'Bearer' };
  if (expiresIn !== undefined) tokens.expiresAt = now + expiresIn * 1000;
  if (typeof body.scope === 'string') tokens.scope = body.scope;
  if (typeof body.refresh_token === 'string' && body.refresh_token !== '') {
    tokens.refreshToken = body.refresh_token;
    if (refreshExpiresIn !== undefined) tokens.refreshTokenExpiresAt = now + refreshExpiresIn * 1000;
  }
  if (typeof body.id_token === 'string' && body.id_token !== '') tokens.idToken = body.id_token;
  return tokens;
}

export interface ExchangeParams {
  /** From handleCallback(). */
  code: string;
  /** The PKCE verifier whose challenge was in the authorize URL. */
  codeVerifier?: string;
  /** Default: config.redirectUri (sent when known; the server compares it exactly). */
  redirectUri?: string;
  /** RFC 8707: which of the granted resources the access token is for (default: the server's choice). */
  resource?: string;
}

/** `grant_type=authorization_code`. */
export async function exchangeCode(config: ClientConfig, params: ExchangeParams): Promise<TokenSet> {
  const body = await postClientForm(config, resolveEndpoints(config).token, {
    grant_type: 'authorization_code',
    code: params.code,
    code_verifier: params.codeVerifier,
    redirect_uri: params.redirectUri ?? config.redirectUri,
    resource: params.resource,
  });
  return tokenSetFrom(body, nowOf(config));
}

/**
 * `grant_type=refresh_token`. A server that rotates refresh tokens (Gatehouse does for public
 * clients) sends a new one and the old one is spent: always keep the returned refreshToken.
 * A server that does not rotate sends none; then the one sent stays in the result.
 */
export async function refresh(config: ClientConfig, refreshToken: string, options: { scope?: string; /** RFC 8707: a granted resource to mint the access token for. */ resource?: string } = {}): Promise<TokenSet> {
  const body = await postClientForm(config, resolveEndpoints(config).token, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    scope: options.scope,
    resource: options.resource,
  });
  const tokens = tokenSetFrom(body, nowOf(config));
  return tokens.refreshToken === undefined ? { ...tokens, refreshToken } : tokens;
}
