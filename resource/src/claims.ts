// The claims of a Gatehouse access token (RFC 9068 plus Gatehouse's own), checked for shape once
// per token so callers get typed values instead of `unknown`.

export interface AccessTokenClaims {
  /** The authorization server that issued the token. */
  readonly iss: string;
  /** The user's id, or for an app's own token its client id (RFC 9068 §2.2). */
  readonly sub: string;
  /** This resource's identifier. */
  readonly aud: string;
  readonly exp: number;
  readonly iat: number;
  readonly nbf?: number;
  readonly jti: string;
  /** The app the token was issued to. */
  readonly client_id: string;
  /** Space-separated scopes; see `scopes` on the verified result for the parsed form. */
  readonly scope: string;
  /** The account (tenant) the token acts in. */
  readonly tenant: string;
  /** The user's name; absent from an app's own token. */
  readonly username?: string;
  /** The numeric app id. */
  readonly app_id: number;
  /** The token family: revoking it ends every token that carries it. */
  readonly fid: string;
  /** Any other claim, as sent. */
  readonly [claim: string]: unknown;
}

const isString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The claims when every one the kit relies on is there with the right type; frozen, as they are cached and shared. */
export function accessTokenClaims(payload: unknown): AccessTokenClaims | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const claims = payload as Record<string, unknown>;
  const { iss, sub, aud, exp, iat, nbf, jti, client_id, scope, tenant, username, app_id, fid } = claims;
  if (![iss, sub, aud, jti, client_id, tenant, fid].every(isString)) return undefined;
  if (!isTime(exp) || !isTime(iat) || (nbf !== undefined && !isTime(nbf))) return undefined;
  if (typeof scope !== 'string' || typeof app_id !== 'number') return undefined;
  if (username !== undefined && typeof username !== 'string') return undefined;
  return Object.freeze(claims) as AccessTokenClaims;
}
