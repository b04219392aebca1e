// Signed JWTs from an OpenID provider (ID tokens, logout tokens), verified with WebCrypto against
// the provider's JWKS: RS256, ES256 and EdDSA (Ed25519) only, the header's `alg` one the provider
// says it signs with, and the key's type fitting that alg (no `none`, no algorithm confusion).
import { fetchOf, nowOf, type FetchLike } from './config.ts';
import { base64urlDecode } from './encoding.ts';
import { TokenValidationError } from './errors.ts';
import { webCrypto } from './pkce.ts';

export type JwsAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

interface Scheme {
  kty: string;
  crv?: string;
  importAs: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  verifyAs: Algorithm | EcdsaParams;
}

const SCHEMES: Record<JwsAlgorithm, Scheme> = {
  RS256: { kty: 'RSA', importAs: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verifyAs: { name: 'RSASSA-PKCS1-v1_5' } },
  // A JWS ECDSA signature is r‖s, which is what WebCrypto verifies.
  ES256: { kty: 'EC', crv: 'P-256', importAs: { name: 'ECDSA', namedCurve: 'P-256' }, verifyAs: { name: 'ECDSA', hash: 'SHA-256' } },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', importAs: { name: 'Ed25519' }, verifyAs: { name: 'Ed25519' } },
};

/** The algorithms this SDK can verify. */
export const JWS_ALGORITHMS = Object.keys(SCHEMES) as JwsAlgorithm[];

/** A public key as a JWKS lists it. */
export type PublicJwk = JsonWebKey & { kid?: string };

/** Seconds between two fetches of the JWKS for an unknown `kid`, so that forged tokens cannot make us hammer the provider. */
const REFETCH_SECONDS = 30;

/**
 * The provider's JWKS (`jwks_uri`), fetched on first use and again when a token names a `kid` it
 * does not hold (the provider rotated its keys).
 */
export class RemoteJwks {
  private keys: PublicJwk[] | undefined;
  private fetchedAt = -Infinity;

  constructor(
    readonly url: string,
    private readonly options: { fetch?: FetchLike; now?: () => number } = {},
  ) {}

  /** The keys that may have signed a token with this `kid` and `alg`. */
  async candidates(kid: string | undefined, alg: JwsAlgorithm): Promise<PublicJwk[]> {
    const fits = (keys: PublicJwk[]) => keys.filter((key) => (kid === undefined || key.kid === kid) && keyFits(key, alg));
    let found = fits(this.keys ?? (await this.refresh()));
    if (found.length === 0 && nowOf(this.options) - this.fetchedAt > REFETCH_SECONDS * 1000) found = fits(await this.refresh());
    return found;
  }

  private async refresh(): Promise<PublicJwk[]> {
    this.fetchedAt = nowOf(this.options);
    const response = await fetchOf(this.options)(this.url, { headers: { accept: 'application/json' } });
    const body: unknown = response.ok ? await response.json().catch(() => undefined) : undefined;
    const keys = (body as { keys?: unknown } | undefined)?.keys;
    if (!Array.isArray(keys)) throw new TokenValidationError('signature', `${this.url} answered ${response.status} without a JWKS`);
    this.keys = keys.filter((key): key is PublicJwk => typeof key === 'object' && key !== null);
    return this.keys;
  }
}

function keyFits(key: PublicJwk, alg: JwsAlgorithm): boolean {
  const scheme = SCHEMES[alg];
  return key.kty === scheme.kty && (scheme.crv === undefined || key.crv === scheme.crv) && (key.alg === undefined || key.alg === alg) && (key.use === undefined || key.use === 'sig');
}

export interface VerifiedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function decodeJson(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64urlDecode(segment)));
  } catch {
    throw new TokenValidationError('malformed', 'the token is not a JWT: a part is not base64url JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TokenValidationError('malformed', 'the token is not a JWT: a part is not a JSON object');
  return value as Record<string, unknown>;
}

/** Checks the signature of a compact JWS with the provider's keys and returns its header and claims; the claims are not checked yet. */
export async function verifyJwt(token: string, jwks: RemoteJwks, algorithms: readonly JwsAlgorithm[]): Promise<VerifiedJwt> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenValidationError('malformed', 'the token is not a compact JWS (three parts)');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  const alg = header.alg;
  if (typeof alg !== 'string' || !algorithms.includes(alg as JwsAlgorithm)) throw new TokenValidationError('algorithm', `the token is signed with ${String(alg)}, which the provider does not use`);
  // RFC 7515 §4.1.11: an extension this SDK does not know must not be ignored.
  if (header.crit !== undefined) throw new TokenValidationError('malformed', 'the token has critical header parameters this client does not understand');
  const scheme = SCHEMES[alg as JwsAlgorithm];
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = base64urlDecode(signaturePart);
  } catch {
    throw new TokenValidationError('malformed', 'the signature is not base64url');
  }
  const data = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  const { subtle } = webCrypto();
  for (const jwk of await jwks.candidates(kid, alg as JwsAlgorithm)) {
    const key = await subtle.importKey('jwk', publicPart(jwk), scheme.importAs, false, ['verify']).catch(() => undefined);
    if (key && (await subtle.verify(scheme.verifyAs, key, signature, data).catch(() => false))) return { header, claims };
  }
  throw new TokenValidationError('signature', `the token's signature is not valid for any ${alg} key${kid === undefined ? '' : ` with kid ${kid}`} of ${jwks.url}`);
}

/** The key without `alg`/`use`/`key_ops` (already matched; WebCrypto rejects some spellings of them). */
function publicPart(jwk: PublicJwk): JsonWebKey {
  const { kty, crv, n, e, x, y } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, n, e, x, y }).filter(([, value]) => value !== undefined)) as JsonWebKey;
}
