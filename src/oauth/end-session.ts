// OpenID Connect RP-Initiated Logout 1.0 (§2, §3): what a logout request asks, decided without
// HTTP. The client is the id_token_hint's audience or client_id (both, and different: refused);
// the browser goes back only to a post_logout_redirect_uri registered for that client, exactly,
// with `state` and nothing else added; a hint of the signed-in session (its sid, or the user's
// subject for the client) signs out at once, anything else asks the person first.
import type { App } from '../domain/app.ts';
import { authorizationResponseUrl } from './authorize.ts';
import type { OAuthContext } from './context.ts';
import { readIdTokenHint, type IdTokenHint } from './id-token-hint.ts';
import { sessionSid } from './id-token.ts';
import { oidcSubject } from './oidc-subject.ts';

/** The parameters of RP-Initiated Logout §2 (logout_hint and ui_locales are accepted and not used). */
export interface EndSessionRequest {
  idTokenHint?: string;
  clientId?: string;
  postLogoutRedirectUri?: string;
  state?: string;
  logoutHint?: string;
  uiLocales?: string;
}

/** The browser session the request came with, if someone is signed in. */
export interface CurrentSession {
  sessionIdHash: string;
  userId: number;
}

/**
 * What to do: refuse (an error page, never a redirect); sign out at once; ask first; or, nobody
 * being signed in, nothing to end. `redirect` is where to send the browser afterwards (with
 * `state`); without one, a page says the person is signed out.
 */
export type EndSessionDecision = { action: 'refuse'; message: string } | EndSessionOutcome;

/** A request that may go on: what to do, the client, and where the browser goes afterwards. */
export interface EndSessionOutcome {
  action: 'sign-out' | 'confirm' | 'nothing';
  app?: App;
  redirect?: string;
}

/** The registered post-logout URI with `state` appended byte for byte, or undefined when it is not the client's. */
export function postLogoutRedirect(app: App | undefined, uri: string | undefined, state: string | undefined): string | undefined {
  if (!app || uri === undefined || !app.postLogoutRedirectUris.includes(uri)) return undefined;
  return state === undefined ? uri : authorizationResponseUrl(uri, { state });
}

/** Whether the hint names the signed-in session: its sid, or the user's subject for the hint's client. */
function hintMatches(hint: IdTokenHint | undefined, app: App | undefined, current: CurrentSession, ctx: OAuthContext): boolean {
  if (!hint) return false;
  if (hint.sid !== undefined && hint.sid === sessionSid(current.sessionIdHash)) return true;
  return app !== undefined && app.clientId === hint.clientId && hint.sub === oidcSubject(app, current.userId, ctx);
}

export async function decideEndSession(request: EndSessionRequest, current: CurrentSession | undefined, ctx: OAuthContext): Promise<EndSessionDecision> {
  // An expired hint still names whom to sign out (Logout §2); one that is not ours names nobody.
  const hint = request.idTokenHint === undefined ? undefined : await readIdTokenHint(request.idTokenHint, ctx);
  if (request.idTokenHint !== undefined && !hint) return { action: 'refuse', message: 'The id_token_hint is not an ID token this server issued, or its signature does not verify.' };
  if (hint && request.clientId !== undefined && request.clientId !== hint.clientId) {
    return { action: 'refuse', message: 'The id_token_hint was issued to another client than client_id names.' };
  }
  const clientId = hint?.clientId ?? request.clientId;
  // Only apps already registered (or materialized from their document): logout fetches nothing.
  const app = clientId === undefined ? undefined : await ctx.store.apps.byClientId(clientId);
  const redirect = postLogoutRedirect(app, request.postLogoutRedirectUri, request.state);
  const action = !current ? 'nothing' : hintMatches(hint, app, current, ctx) ? 'sign-out' : 'confirm';
  return { action, ...(app ? { app } : {}), ...(redirect === undefined ? {} : { redirect }) };
}
