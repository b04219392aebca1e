// What ending a browser session does for OpenID Connect (docs/oidc.md): the token families it
// signed in without offline_access are revoked (Back-Channel Logout 1.0 §2.7), and every app with
// a backchannel_logout_uri that it signed in is queued a logout token, delivered in the background
// (logout-delivery.ts) so that signing out never waits for an app. Plain OAuth grants (no
// `openid`: ilert's) are left exactly as they were.
import type { OAuthContext } from '../oauth/context.ts';
import { sessionSid } from '../oauth/id-token.ts';

export async function sessionEnded(sessionIdHash: string, ctx: OAuthContext): Promise<void> {
  const sid = sessionSid(sessionIdHash);
  const now = ctx.clock.now();
  await ctx.store.logouts.revokeSessionFamilies(sid, now);
  if ((await ctx.store.logouts.enqueueForSession(sid, now)) > 0) ctx.logoutDelivery?.wake();
}
