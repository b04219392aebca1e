// An `id_token_hint` (OpenID Connect Core §3.1.2.1, RP-Initiated Logout §2): an ID token this
// server issued, sent back by a client to say whom it expects signed in (`prompt=none`) or whom it
// is signing out. Only our own ID tokens count: our issuer, signed by a key the ring still accepts,
// `typ: JWT` (an access token, `at+jwt`, is not a hint). Whether an expired one will do is the
// caller's choice: authorize refuses it beyond the leeway, logout accepts it (Logout §2 asks the OP
// to, while the session may still be live).
import { decodeCompact, verifyCompact } from '../keys/jws.ts';
import type { OAuthContext } from './context.ts';

/** Longest hint read: an ID token of ours is well under 2 kB. */
export const MAX_ID_TOKEN_HINT_LENGTH = 8192;
/** Seconds past `exp` an ID token still counts as unexpired (clock skew). */
export const ID_TOKEN_HINT_LEEWAY_SECONDS = 60;

export interface IdTokenHint {
  /** The subject as the client knows it (pairwise or public). */
  sub: string;
  /** The client it was issued to (`aud`, a single one for ours). */
  clientId: string;
  /** The browser session it was issued in, when it named one. */
  sid?: string;
  /** Whether `exp` is past, beyond the leeway. */
  expired: boolean;
}

const isString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The hint's claims when it is an ID token of ours with a good signature; undefined otherwise. */
export async function readIdTokenHint(token: string, ctx: OAuthContext): Promise<IdTokenHint | undefined> {
  if (token.length > MAX_ID_TOKEN_HINT_LENGTH) return undefined;
  const jws = decodeCompact(token);
  if (!jws || jws.header.typ !== 'JWT' || !isString(jws.header.kid) || jws.header.crit !== undefined) return undefined;
  const key = await ctx.keys.verificationKey(jws.header.kid);
  if (!key) return undefined;
  const claims = verifyCompact(jws, key.alg, key.publicKey);
  if (!claims || claims.iss !== ctx.issuer || !isString(claims.sub) || typeof claims.exp !== 'number') return undefined;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const clientId = audiences.length === 1 && isString(audiences[0]) ? audiences[0] : isString(claims.azp) ? claims.azp : undefined;
  if (clientId === undefined || !audiences.includes(clientId)) return undefined;
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  return {
    sub: claims.sub,
    clientId,
    ...(isString(claims.sid) ? { sid: claims.sid } : {}),
    expired: claims.exp + ID_TOKEN_HINT_LEEWAY_SECONDS <= now,
  };
}
