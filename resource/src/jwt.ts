// The once-per-token part of verifying an access token: header (typ, alg, kid), signature, issuer,
// audience and claim shapes. Time and revocation are checked on every use instead (verifier.ts),
// so the result of this part can be cached.
import { compactVerify, decodeProtectedHeader } from 'jose';
import { accessTokenClaims, type AccessTokenClaims } from './claims.ts';
import type { FailureReason } from './failures.ts';
import type { KeySet } from './key-set.ts';

/** Algorithms a verifier may allow: asymmetric only. `none` and HS* can never be configured. */
export const SUPPORTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
export type Algorithm = (typeof SUPPORTED_ALGORITHMS)[number];
export const DEFAULT_ALGORITHMS: readonly Algorithm[] = ['RS256', 'ES256', 'EdDSA'];

/** Gatehouse's tokens are far smaller; a longer one is not worth parsing. */
export const MAX_TOKEN_LENGTH = 8192;

export interface TokenPolicy {
  readonly issuer: string;
  readonly audience: string;
  readonly algorithms: ReadonlySet<string>;
}

export type SignedToken = { ok: true; claims: AccessTokenClaims; kid: string } | { ok: false; reason: FailureReason };

const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const decoder = new TextDecoder();

/** RFC 9068 §4: typ is `at+jwt`; media types may carry the `application/` prefix and any case (RFC 7515 §4.1.9). */
const isAccessTokenType = (typ: unknown): boolean => typeof typ === 'string' && /^(application\/)?at\+jwt$/i.test(typ);

export async function verifySignedToken(token: string, keys: KeySet, policy: TokenPolicy): Promise<SignedToken> {
  if (token.length > MAX_TOKEN_LENGTH || !JWS.test(token)) return { ok: false, reason: 'malformed_token' };
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed_token' };
  }
  if (!isAccessTokenType(header.typ)) return { ok: false, reason: 'wrong_type' };
  const { alg, kid } = header;
  if (typeof alg !== 'string' || !policy.algorithms.has(alg)) return { ok: false, reason: 'algorithm_not_allowed' };
  if (typeof kid !== 'string') return { ok: false, reason: 'unknown_key' };
  const key = await keys.key(kid, alg);
  if (!key) return { ok: false, reason: 'unknown_key' };
  let payload: unknown;
  try {
    // jose checks the signature, the alg once more, and refuses `crit` extensions it does not know.
    const verified = await compactVerify(token, key, { algorithms: [alg] });
    payload = JSON.parse(decoder.decode(verified.payload));
  } catch {
    return { ok: false, reason: 'bad_signature' };
  }
  if (payload === null || typeof payload !== 'object') return { ok: false, reason: 'malformed_token' };
  const raw = payload as Record<string, unknown>;
  if (raw.iss !== policy.issuer) return { ok: false, reason: 'wrong_issuer' };
  // Gatehouse names one resource per token, so `aud` is one string (an array is another server's habit).
  if (raw.aud !== policy.audience) return { ok: false, reason: 'wrong_audience' };
  const claims = accessTokenClaims(raw);
  return claims ? { ok: true, claims, kid } : { ok: false, reason: 'invalid_claims' };
}
