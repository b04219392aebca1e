// OpenID Connect Back-Channel Logout 1.0 §2.4: the logout token telling an app that a session it
// signed a user into has ended. Signed by the key ring like ID tokens, typed `logout+jwt` (§2.4,
// and RFC 8725 §3.11, so no one can pass it off as an ID token), with the session's sid and the
// app's sub for the user; never a nonce. Minted fresh for each delivery attempt.
import type { App } from '../domain/app.ts';
import { signCompact } from '../keys/jws.ts';
import type { OAuthContext } from './context.ts';
import { oidcSubject } from './oidc-subject.ts';
import { randomHex } from './secrets.ts';

/** The event that makes a JWT a logout token (§2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** Seconds a logout token is valid: it is delivered at once or minted again. */
export const LOGOUT_TOKEN_LIFETIME = 120;

export interface LogoutTokenInput {
  app: Pick<App, 'clientId' | 'subjectType' | 'redirectUris'>;
  userId: number;
  /** The ended session's sid, as the app's ID tokens carried it. */
  sid: string;
}

export function mintLogoutToken(input: LogoutTokenInput, ctx: Pick<OAuthContext, 'keys' | 'clock' | 'issuer' | 'tokenKey'>): string {
  const key = ctx.keys.signing;
  const iat = Math.floor(ctx.clock.now().getTime() / 1000);
  const claims = {
    iss: ctx.issuer,
    sub: oidcSubject(input.app, input.userId, ctx),
    aud: input.app.clientId,
    iat,
    exp: iat + LOGOUT_TOKEN_LIFETIME,
    jti: randomHex(16),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    sid: input.sid,
  };
  return signCompact({ alg: key.alg, typ: 'logout+jwt', kid: key.kid }, claims, key.privateKey);
}
