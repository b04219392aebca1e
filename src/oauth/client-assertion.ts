// private_key_jwt (RFC 7523 §2.2 and §3, RFC 7521 §4.2): a client proves itself with a JWT it
// signed with a private key whose public half it registered (jwks) or publishes (jwks_uri).
// Asymmetric algorithms only; `iss` = `sub` = the client id; `aud` the issuer or the endpoint's
// URL; `exp` required and at most MAX_ASSERTION_LIFETIME_SECONDS ahead; `jti` accepted once.
import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { App, JsonWebKeySet } from '../domain/app.ts';
import { JwksUnavailable, clientKeysFor } from './client-jwks.ts';
import type { OAuthContext } from './context.ts';
import { OAuthError } from './errors.ts';
import { sha256Hex } from './secrets.ts';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const ASSERTION_SIGNING_ALGS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Clocks differ a little: an `iat` or `nbf` this far ahead, or an `exp` this far behind, still passes. */
const CLOCK_SKEW_SECONDS = 30;

const fail = (description: string) => new OAuthError('invalid_client', description, { status: 401, failedClientAuthentication: true });

/** Key members that make a JWK private (or symmetric): never used to verify, whoever published them. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
export const isPublicJwk = (key: Record<string, unknown>): boolean => key.kty !== 'oct' && PRIVATE_MEMBERS.every((member) => !(member in key));

/**
 * The client id an assertion claims (its `sub`, which must equal its `iss`), read without
 * verifying: it only says which app's keys to verify with. Undefined when it cannot be read.
 */
export function assertedClientId(assertion: string): string | undefined {
  try {
    const { iss, sub } = decodeJwt(assertion);
    return typeof sub === 'string' && sub !== '' && sub === iss ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** The keys to verify with: the registered set, or the published one (fetched again once for an unknown `kid`). */
function keyResolver(app: App, ctx: OAuthContext): JWTVerifyGetKey {
  const publicOnly = (set: JsonWebKeySet) => createLocalJWKSet({ keys: set.keys.filter(isPublicJwk) as never });
  if (app.jwksUri === null) return publicOnly(app.jwks ?? { keys: [] });
  const url = app.jwksUri;
  const cache = clientKeysFor(ctx);
  return async (header, token) => {
    const set = await cache.keys(url);
    try {
      return await publicOnly(set)(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      const fresh = await cache.refetched(url);
      if (!fresh) throw error;
      return publicOnly(fresh)(header, token);
    }
  };
}

function describe(error: unknown, app: App, audiences: readonly string[]): OAuthError {
  if (error instanceof JwksUnavailable) return fail(`The app's jwks_uri ${app.jwksUri ?? ''} ${error.message}`);
  if (error instanceof errors.JWTExpired) return fail('The client assertion has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return fail(`The client assertion's aud must be ${audiences.join(' or ')}`);
    if (error.claim === 'iss' || error.claim === 'sub') return fail(`The client assertion's iss and sub must both be the client id ${app.clientId}`);
    if (error.claim === 'nbf') return fail('The client assertion is not valid yet (nbf)');
    return fail(`The client assertion's ${error.claim} claim is missing or not valid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return fail(`The client assertion's alg must be one of ${ASSERTION_SIGNING_ALGS.join(', ')}`);
  if (error instanceof errors.JWKSNoMatchingKey) return fail("No key of the app's key set matches the client assertion (kid, alg)");
  if (error instanceof errors.JWKSMultipleMatchingKeys) return fail("Several keys of the app's key set match the client assertion: it must name its kid");
  if (error instanceof errors.JWSSignatureVerificationFailed) return fail("The client assertion's signature does not verify with the app's keys");
  return fail('The client assertion is not a valid signed JWT');
}

/**
 * Verifies the assertion for the app (already chosen by its `sub`) and spends its `jti`. `audiences`:
 * what `aud` may be (the issuer, the endpoint's URL). Every failure is 401 invalid_client.
 */
export async function verifyClientAssertion(assertion: string, app: App, audiences: readonly string[], ctx: OAuthContext): Promise<void> {
  if (app.jwks === null && app.jwksUri === null) throw fail('The app has no registered keys (jwks or jwks_uri) to verify its client assertion');
  const now = ctx.clock.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, keyResolver(app, ctx), {
      algorithms: [...ASSERTION_SIGNING_ALGS],
      issuer: app.clientId,
      subject: app.clientId,
      audience: [...audiences],
      requiredClaims: ['exp', 'jti'],
      currentDate: now,
      clockTolerance: CLOCK_SKEW_SECONDS,
    }));
  } catch (error) {
    throw describe(error, app, audiences);
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const exp = payload.exp as number;
  if (payload.iat !== undefined && payload.iat > nowSeconds + CLOCK_SKEW_SECONDS) throw fail('The client assertion was issued in the future (iat)');
  // A long-lived assertion is a bearer credential in all but name: refuse it, from iat and from now.
  const fromIat = payload.iat === undefined ? 0 : exp - payload.iat;
  if (fromIat > MAX_ASSERTION_LIFETIME_SECONDS || exp - nowSeconds > MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
    throw fail(`The client assertion lives too long: exp must be at most ${MAX_ASSERTION_LIFETIME_SECONDS} seconds after iat and now`);
  }
  if (typeof payload.jti !== 'string' || payload.jti === '' || payload.jti.length > 512) throw fail('The client assertion needs a jti (a unique id, at most 512 characters)');
  // Spent last, so an assertion refused above does not burn its id; kept until it expires.
  const first = await ctx.store.clientAssertions.use(app.clientId, sha256Hex(payload.jti), new Date((exp + CLOCK_SKEW_SECONDS) * 1000));
  if (!first) throw fail('The client assertion was already used (its jti is spent)');
}
