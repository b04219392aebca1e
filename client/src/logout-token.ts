// OpenID Connect Back-Channel Logout 1.0 for a relying party: the checks on a logout token the
// provider POSTs when a session ends (§2.6), with a replay guard for its `jti`.
import { TokenValidationError } from './errors.ts';
import { checkIssuedClaims, type OpenIdProvider } from './oidc.ts';
import { verifyJwt } from './jwt.ts';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Remembers the `jti`s of logout tokens already accepted, until their tokens expire. */
export interface ReplayGuard {
  /** True the first time a jti is offered (and remembers it until `expiresAt`, ms); false for a replay. */
  firstUse(jti: string, expiresAt: number): boolean | Promise<boolean>;
}

const MAX_REMEMBERED = 10_000;

/** A ReplayGuard in memory, for one process. It forgets expired jtis, and the oldest beyond 10 000. */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  firstUse(jti: string, expiresAt: number): boolean {
    const now = this.now();
    // Oldest first: stop at the first entry that is neither expired nor over the limit.
    for (const [known, until] of this.seen) {
      if (until > now && this.seen.size < MAX_REMEMBERED) break;
      this.seen.delete(known);
    }
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, expiresAt);
    return true;
  }
}

/** What a valid logout token says ended: a session (`sid`), or every session of a user (`sub` alone). */
export interface LogoutTokenClaims {
  iss: string;
  jti: string;
  sid?: string;
  sub?: string;
}

const LOGOUT_TOKEN_TYPES = ['logout+jwt', 'application/logout+jwt'];
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Verifies a logout token (§2.6: signature, typ, iss, aud, iat, exp, events, sid/sub, no nonce, a new jti) and returns whom it signs out. */
export async function validateLogoutToken(
  provider: OpenIdProvider,
  logoutToken: string,
  checks: { clientId: string; replay: ReplayGuard; leewaySeconds?: number },
): Promise<LogoutTokenClaims> {
  const { header, claims } = await verifyJwt(logoutToken, provider.jwks, provider.signingAlgorithms);
  // Explicit typing (§2.4) keeps an ID token from being replayed as a logout token.
  if (typeof header.typ !== 'string' || !LOGOUT_TOKEN_TYPES.includes(header.typ.toLowerCase())) throw new TokenValidationError('type', `the token's typ is ${String(header.typ)}, not logout+jwt`);
  checkIssuedClaims(claims, provider, checks.clientId, checks.leewaySeconds);
  if (!isObject(claims.events) || !isObject(claims.events[BACKCHANNEL_LOGOUT_EVENT])) throw new TokenValidationError('events', `the token's events has no ${BACKCHANNEL_LOGOUT_EVENT}`);
  const sid = typeof claims.sid === 'string' && claims.sid !== '' ? claims.sid : undefined;
  const sub = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
  if (sid === undefined && sub === undefined) throw new TokenValidationError('subject', 'the logout token names neither sid nor sub');
  if (claims.nonce !== undefined) throw new TokenValidationError('nonce', 'a logout token must not carry a nonce');
  if (typeof claims.jti !== 'string' || claims.jti === '') throw new TokenValidationError('malformed', 'the logout token has no jti');
  if (!(await checks.replay.firstUse(claims.jti, (claims.exp as number) * 1000))) throw new TokenValidationError('replay', 'this logout token was received before');
  return { iss: provider.issuer, jti: claims.jti, ...(sid === undefined ? {} : { sid }), ...(sub === undefined ? {} : { sub }) };
}
