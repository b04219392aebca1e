// The `claims` authorization request parameter (OpenID Connect Core §5.5): a JSON object whose
// `userinfo` and `id_token` members name individual claims to return beside those the scopes
// select. Read once at the authorization endpoint into the names Gatehouse knows; the code and
// its token family keep them (RequestedClaims) for UserInfo and every ID token of the grant.
import type { RequestedClaims } from '../domain/tokens.ts';
import { ACR_VALUES_SUPPORTED } from './acr.ts';
import { OAuthError, invalidRequest } from './errors.ts';
import { isUserClaim } from './user-claims.ts';

/** The longest `claims` parameter read, in bytes of UTF-8. */
export const MAX_CLAIMS_REQUEST_BYTES = 4096;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** One member's claim requests (`{"email": null, "name": {"essential": true}}`): checked, then the names we know. */
function requestedNames(member: string, requests: unknown): string[] {
  if (requests === undefined) return [];
  if (!isObject(requests)) throw invalidRequest(`claims.${member} must be a JSON object of claim requests`);
  for (const [name, request] of Object.entries(requests)) checkClaimRequest(`claims.${member}.${name}`, request);
  return Object.keys(requests).filter(isUserClaim);
}

/** A claim's request is null or an object; `essential` a boolean and `values` an array when present (`value` may be anything). */
function checkClaimRequest(where: string, request: unknown): void {
  if (request === null) return;
  if (!isObject(request)) throw invalidRequest(`${where} must be null or a JSON object`);
  if (request.essential !== undefined && typeof request.essential !== 'boolean') throw invalidRequest(`${where}.essential must be true or false`);
  if (request.values !== undefined && !Array.isArray(request.values)) throw invalidRequest(`${where}.values must be an array`);
}

/**
 * An essential `acr` (Core §5.5.1.1) that names values must name one we sign in with; anything
 * else would be a failed authentication. A voluntary one is always answered with ours.
 */
function checkAcr(request: unknown): void {
  if (!isObject(request) || request.essential !== true) return;
  const asked = request.values !== undefined ? (request.values as unknown[]) : request.value !== undefined ? [request.value] : undefined;
  if (asked === undefined || asked.some((value) => (ACR_VALUES_SUPPORTED as readonly unknown[]).includes(value))) return;
  throw new OAuthError('access_denied', `The essential acr asked for cannot be met: users sign in with ${ACR_VALUES_SUPPORTED.join(', ')}`);
}

/**
 * The claims a `claims` parameter asks for, or undefined when it asks for none Gatehouse knows.
 * Malformed JSON, another shape, or more than 4 kB is invalid_request; unknown members and claim
 * names are ignored (Core §5.5), and `value`/`values` too, except an essential `acr`'s.
 */
export function parseClaimsRequest(raw: string | undefined): RequestedClaims | undefined {
  if (raw === undefined) return undefined;
  if (Buffer.byteLength(raw, 'utf8') > MAX_CLAIMS_REQUEST_BYTES) throw invalidRequest(`claims must be at most ${MAX_CLAIMS_REQUEST_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidRequest('claims must be a JSON object (Core §5.5); it is not valid JSON');
  }
  if (!isObject(parsed)) throw invalidRequest('claims must be a JSON object with userinfo and/or id_token members');
  const userinfo = requestedNames('userinfo', parsed.userinfo);
  const idToken = requestedNames('id_token', parsed.id_token);
  if (isObject(parsed.id_token)) checkAcr(parsed.id_token.acr);
  return userinfo.length === 0 && idToken.length === 0 ? undefined : { userinfo, idToken };
}
