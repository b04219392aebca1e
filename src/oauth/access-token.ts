// JWT access tokens per RFC 9068: minted with the ring's signing key, verified against any key
// the ring still accepts. Revocation is checked separately (see token-info.ts).
import { randomUUID } from 'node:crypto';
import { decodeCompact, signCompact, verifyCompact } from '../keys/jws.ts';
import { LruMap } from '../lru-map.ts';
import type { OAuthContext } from './context.ts';
import { acrFor } from './acr.ts';

export interface AccessTokenClaims {
  iss: string;
  /** The user's id, or for the app's own token its client id (RFC 9068 §2.2). */
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope: string;
  /** The account: the user's, or the app's owner for the app's own token. */
  tenant: string;
  /** The user's name; absent from the app's own token (see subject.ts). */
  username?: string;
  /** The numeric app id, as ilert's token_info reports it. */
  app_id: number;
  /** The token family: revoking it ends this token too. */
  fid: string;
  /** Not minted by us; honoured when a token carries it. */
  nbf?: number;
  /** How the user signed in (RFC 8176), when the token's grant knows its browser sign-in (RFC 9068 §2.2.1 allows it). */
  amr?: string[];
  /** The sign-in's class (acr.ts), alongside `amr`. */
  acr?: string;
}

/** What an access token says of its subject. A user token names the user; the app's own token has no username. */
export interface SubjectClaims {
  sub: string;
  username?: string;
  tenant: string;
}

/** What a new access token says: its subject's claims (subject.ts), the app, the scope, the family. */
export interface AccessTokenInput extends SubjectClaims {
  clientId: string;
  appId: number;
  scope: string;
  familyId: string;
  /** The resource's identifier (`aud`); the built-in API's unless told. */
  audience?: string;
  /** Seconds the token lives, its resource's lifetime; the configured one unless told. */
  lifetime?: number;
  /** How the user signed in, when known (a grant from a browser sign-in): the token says it as `amr` and `acr`. */
  amr?: readonly string[];
}

const TYP = 'at+jwt';

export async function mintAccessToken(input: AccessTokenInput, ctx: OAuthContext): Promise<string> {
  const key = ctx.keys.signing;
  const iat = Math.floor(ctx.clock.now().getTime() / 1000);
  const claims: AccessTokenClaims = {
    iss: ctx.issuer,
    sub: input.sub,
    aud: input.audience ?? ctx.audience,
    exp: iat + (input.lifetime ?? ctx.lifetimes.accessToken),
    iat,
    // 122 random bits; node:crypto draws UUIDs from a cached pool instead of a call per token.
    jti: randomUUID(),
    client_id: input.clientId,
    scope: input.scope,
    tenant: input.tenant,
    ...(input.username === undefined ? {} : { username: input.username }),
    app_id: input.appId,
    fid: input.familyId,
    ...(input.amr === undefined ? {} : { amr: [...input.amr], acr: acrFor(input.amr) }),
  };
  return signCompact({ alg: key.alg, typ: TYP, kid: key.kid }, { ...claims }, key.privateKey);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The claims, when every one RFC 9068 and our checks need is there with the right type. */
function accessTokenClaims(payload: Record<string, unknown>): AccessTokenClaims | undefined {
  const { iss, sub, aud, exp, iat, nbf, jti, client_id, scope, tenant, username, app_id, fid, amr, acr } = payload;
  const fields = [iss, sub, jti, client_id, scope, tenant, fid];
  if (!fields.every(isString) || !isString(aud) || !isTime(exp) || !isTime(iat) || typeof app_id !== 'number') return undefined;
  if (username !== undefined && !isString(username)) return undefined;
  if (nbf !== undefined && !isTime(nbf)) return undefined;
  if ((amr !== undefined && !(Array.isArray(amr) && amr.every(isString))) || (acr !== undefined && !isString(acr))) return undefined;
  return payload as unknown as AccessTokenClaims;
}

/**
 * Tokens whose signature was already checked, per key ring (a process may hold several, as tests
 * do). An app sends the same token on every call for up to an hour, and the RSA check is most of
 * what token_info and the API cost. Only the signature is remembered: expiry, issuer, audience,
 * the key still being accepted, and revocation are checked on every use.
 */
export const MAX_VERIFIED_TOKENS = 4096;
type Verified = LruMap<string, { kid: string; claims: AccessTokenClaims }>;
const verifiedByRing = new WeakMap<object, Verified>();

function verifiedTokens(ctx: OAuthContext): Verified {
  let verified = verifiedByRing.get(ctx.keys);
  if (!verified) verifiedByRing.set(ctx.keys, (verified = new LruMap(MAX_VERIFIED_TOKENS)));
  return verified;
}

/** The claims when the signature is good for a key the ring accepts (remembered once checked). */
async function signedClaims(token: string, ctx: OAuthContext): Promise<AccessTokenClaims | undefined> {
  const verified = verifiedTokens(ctx);
  const known = verified.get(token);
  // The key must still be one the ring accepts: a removed key takes its tokens with it.
  if (known) return (await ctx.keys.verificationKey(known.kid)) ? known.claims : undefined;
  const jws = decodeCompact(token);
  if (!jws || jws.header.typ !== TYP || !isString(jws.header.kid) || jws.header.crit !== undefined) return undefined;
  // A kid this instance does not know may be a key another instance just rotated in: the ring
  // reloads (rate limited) before giving up.
  const key = await ctx.keys.verificationKey(jws.header.kid);
  if (!key) return undefined;
  const payload = verifyCompact(jws, key.alg, key.publicKey);
  const claims = payload && accessTokenClaims(payload);
  if (!claims) return undefined;
  verified.set(token, { kid: key.kid, claims });
  return claims;
}

/**
 * Who a token must be for: one resource's identifier (the built-in API's unless told), or any
 * resource of ours ('any': token_info, introspection and revocation serve every resource).
 */
export type AudienceRule = string | 'any';

/** Returns the claims of a valid, unexpired access token of ours for the audience, or undefined. */
export async function verifyAccessToken(token: string, ctx: OAuthContext, audience: AudienceRule = ctx.audience): Promise<AccessTokenClaims | undefined> {
  if (token.length > 8192) return undefined;
  const claims = await signedClaims(token, ctx);
  if (!claims) return undefined;
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  if (claims.iss !== ctx.issuer || claims.exp <= now) return undefined;
  if (audience === 'any' ? claims.aud === '' : claims.aud !== audience) return undefined;
  if (claims.nbf !== undefined && claims.nbf > now) return undefined;
  return claims;
}
