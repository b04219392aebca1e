// The example web service (ilert's backend flow on @gatehouse/client): /authorize starts the
// flow (state in a cookie, PKCE verifier on the server), /authorize-result trades the code with the
// client secret, and / shows the profile and alert sources through the session's TokenManager.
// /sign-in is the same flow with OpenID Connect ("Sign in with Gatehouse", sign-in.ts).
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  buildAuthorizeUrl,
  CallbackValidationError,
  createNonce,
  createPkcePair,
  createState,
  exchangeCode,
  GatehouseClientError,
  handleCallback,
  LoginRequiredError,
  OAuthClientError,
  TokenValidationError,
  tokenInfo,
  type ClientConfig,
  type FetchLike,
} from '@gatehouse/client';
import { clientConfigFor } from '../shared/gatehouse.ts';
import { closeServer, cookie, cookies, listen, redirect, send, type RunningExample } from '../shared/http.ts';
import { redirectUriOf, type ExampleSettings } from '../shared/settings.ts';
import { dashboardPage, errorPage, homePage, signedInPage, type AlertSource, type User } from './pages.ts';
import { ExampleSessions, PENDING_COOKIE_SECONDS, type PendingAuthorization, type Session } from './sessions.ts';
import { BACKCHANNEL_LOGOUT_PATH, OPENID_SCOPE, OpenIdSignIn, SIGNED_OUT_PATH } from './sign-in.ts';

export const WEBSERVICE_SCOPE = 'profile source:w';
const SESSION_COOKIE = 'example_session';
const STATE_COOKIE = 'example_state';
const HTML = 'text/html; charset=utf-8';
/** The pages' CSP; `formTargets` are origins a form may end up on (Chromium applies form-action to the redirect after a POST too). */
const csp = (formTargets: string[] = []) =>
  `default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action ${["'self'", ...formTargets].join(' ')}; frame-ancestors 'none'`;

const NOTICES: Record<string, string> = {
  connected: 'Connected: the service traded the code for tokens with its client secret.',
  refreshed: 'Tokens refreshed.',
  'signed-out': 'Signed out: Gatehouse revoked the tokens.',
  'signed-in': 'Signed in with Gatehouse: the ID token passed every check, and UserInfo answered for its sub.',
  'signed-out-here': 'Signed out of this service. Gatehouse offers no logout endpoint, so your session there goes on.',
};

export interface WebserviceOptions {
  /** The fetch the SDK uses for every call to Gatehouse (default: global fetch); tests record with it. */
  fetch?: FetchLike;
}

type Settings = Pick<ExampleSettings, 'gatehouseUrl' | 'clientId' | 'clientSecret' | 'port' | 'tenant'>;

export async function startWebserviceExample(settings: Settings, options: WebserviceOptions = {}): Promise<RunningExample> {
  if (!settings.clientSecret) throw new TypeError('the web service needs its client secret');
  const style = await readFile(new URL('../shared/style.css', import.meta.url), 'utf8');
  let config: ClientConfig | undefined;
  let sessions: ExampleSessions | undefined;
  let openId: OpenIdSignIn | undefined;
  let origin = '';

  const page = (response: ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}) =>
    send(response, status, HTML, html, { 'content-security-policy': csp(), ...headers });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!config || !sessions || !openId) return send(response, 503, 'text/plain; charset=utf-8', 'Starting');
    const url = new URL(request.url ?? '/', origin);
    const route = `${request.method} ${url.pathname}`;
    const sessionId = cookies(request).get(SESSION_COOKIE);
    const session = sessions.get(sessionId);
    // Gatehouse's server POSTs here; the signed logout token is what authenticates it, not a form of this site.
    if (route === `POST ${BACKCHANNEL_LOGOUT_PATH}`) return openId.receiveLogout(request, response, (ended) => ended.forEach(revokeQuietly));
    if (request.method === 'POST' && !sameOrigin(request, origin)) return send(response, 403, 'text/plain; charset=utf-8', 'Forms post from this site only');

    switch (route) {
      case 'GET /style.css':
        return send(response, 200, 'text/css; charset=utf-8', style);
      case 'GET /favicon.ico':
        return send(response, 204, 'image/x-icon', '');
      case 'GET /authorize':
        return authorize(response, config, sessions, WEBSERVICE_SCOPE);
      case 'GET /sign-in':
        try {
          await openId.provider();
        } catch (error) {
          if (!(error instanceof GatehouseClientError)) throw error;
          return page(response, 502, errorPage('No OpenID Connect', `Gatehouse's OpenID Connect discovery failed: ${error.message}`));
        }
        return authorize(response, config, sessions, OPENID_SCOPE, createNonce());
      case 'GET /authorize-result':
        return finish(request, url, response, config, sessions, openId);
      case `GET ${SIGNED_OUT_PATH}`:
        return signedOutAtGatehouse(url, response, sessions);
      case 'GET /':
        if (!session) return page(response, 200, home(NOTICES[url.searchParams.get('done') ?? '']));
        if (session.identity) {
          // "Sign out" posts here and is redirected on to Gatehouse's end_session_endpoint.
          const logoutOrigin = await openId.endSessionOrigin();
          const headers = { 'content-security-policy': csp(logoutOrigin ? [logoutOrigin] : []) };
          return page(response, 200, signedInPage({ notice: NOTICES[url.searchParams.get('done') ?? ''], identity: session.identity }), headers);
        }
        return dashboard(response, session, sessionId ?? '', NOTICES[url.searchParams.get('done') ?? '']);
      case 'POST /refresh':
        if (!session) return redirect(response, '/');
        try {
          await session.manager.refresh();
        } catch (error) {
          if (!(error instanceof LoginRequiredError)) throw error;
          return signedOut(response, sessionId ?? '', `Your connection to Gatehouse ended: ${error.message}.`);
        }
        return redirect(response, '/?done=refreshed');
      case 'POST /sign-out':
        if (session?.identity) return signOutWithGatehouse(response, session, sessionId ?? '', openId);
        if (session) {
          sessions.end(sessionId ?? '');
          try {
            // Revokes the refresh token: Gatehouse ends its access tokens with it.
            await session.manager.logout();
          } catch (error) {
            const detail = `Signed out here, but Gatehouse could not revoke the tokens: ${(error as Error).message}`;
            return page(response, 502, errorPage('Revocation failed', detail), { 'set-cookie': cookie(SESSION_COOKIE, '', { maxAgeSeconds: 0 }) });
          }
        }
        return redirect(response, '/?done=signed-out', { 'set-cookie': cookie(SESSION_COOKIE, '', { maxAgeSeconds: 0 }) });
      default:
        return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    }
  }

  function home(text: string | undefined): string {
    return homePage({ notice: text, scope: WEBSERVICE_SCOPE, openIdScope: OPENID_SCOPE, tenant: settings.tenant });
  }

  /** Sends the browser to Gatehouse: the state in a cookie, the PKCE verifier (and nonce) on the server. */
  async function authorize(response: ServerResponse, client: ClientConfig, store: ExampleSessions, scope: string, nonce?: string): Promise<void> {
    const state = createState();
    const pkce = await createPkcePair();
    store.remember(state, { codeVerifier: pkce.verifier, ...(nonce === undefined ? {} : { nonce }) });
    // The client secret authenticates the service; PKCE also ties the code to this very request.
    const location = buildAuthorizeUrl(client, { scope, state, codeChallenge: pkce.challenge, ...(nonce === undefined ? {} : { extraParams: { nonce } }) });
    response.writeHead(302, { location, 'set-cookie': cookie(STATE_COOKIE, state, { path: '/authorize-result', maxAgeSeconds: PENDING_COOKIE_SECONDS }) });
    response.end();
  }

  async function finish(request: IncomingMessage, url: URL, response: ServerResponse, client: ClientConfig, store: ExampleSessions, oidc: OpenIdSignIn): Promise<void> {
    const expectedState = cookies(request).get(STATE_COOKIE);
    const clearState = { 'set-cookie': cookie(STATE_COOKIE, '', { path: '/authorize-result', maxAgeSeconds: 0 }) };
    if (!expectedState) return page(response, 400, errorPage('Sign-in not started here', 'This answer from Gatehouse belongs to no sign-in this service started (or it took more than 10 minutes).'), clearState);
    let code: string;
    try {
      ({ code } = handleCallback(client, url, { expectedState }));
    } catch (error) {
      if (error instanceof OAuthClientError) return page(response, 400, errorPage('Not connected', `Gatehouse answered ${error.code}${error.description ? `: ${error.description}` : ''}`), clearState);
      if (error instanceof CallbackValidationError) return page(response, 400, errorPage('Not connected', `The answer from Gatehouse failed a check (${error.reason}): ${error.message}`), clearState);
      throw error;
    }
    const pending: PendingAuthorization | undefined = store.take(expectedState);
    if (!pending) return page(response, 400, errorPage('Sign-in expired', 'This sign-in took too long or was already finished.'), clearState);
    try {
      const tokens = await exchangeCode(client, { code, codeVerifier: pending.codeVerifier });
      // The pending authorization tells the two flows apart: only "Sign in with Gatehouse" sent a nonce.
      const identity = pending.nonce === undefined ? undefined : await oidc.identify(tokens, pending.nonce);
      const id = store.create(tokens, identity);
      return redirect(response, identity ? '/?done=signed-in' : '/?done=connected', { 'set-cookie': [clearState['set-cookie'], cookie(SESSION_COOKIE, id)] });
    } catch (error) {
      if (error instanceof TokenValidationError) return page(response, 400, errorPage('Not signed in', `The ID token failed a check (${error.reason}): ${error.message}`), clearState);
      if (!(error instanceof OAuthClientError)) throw error;
      return page(response, 400, errorPage('Not connected', `Gatehouse refused the code: ${error.code}${error.description ? `: ${error.description}` : ''}`), clearState);
    }
  }

  /** "Sign out" of a "Sign in with Gatehouse" session: through Gatehouse's logout when it has one, else here only. */
  async function signOutWithGatehouse(response: ServerResponse, session: Session, sessionId: string, oidc: OpenIdSignIn): Promise<void> {
    const location = await oidc.signOutUrl(session, sessionId);
    // The session ends at /signed-out, when Gatehouse sends the browser back with the state.
    if (location) return redirect(response, location);
    sessions?.end(sessionId);
    revokeQuietly(session);
    return redirect(response, '/?done=signed-out-here', { 'set-cookie': cookie(SESSION_COOKIE, '', { maxAgeSeconds: 0 }) });
  }

  /** GET /signed-out: Gatehouse ended its session and sent the browser back with the state of the sign-out this service started. */
  function signedOutAtGatehouse(url: URL, response: ServerResponse, store: ExampleSessions): void {
    const state = url.searchParams.get('state');
    const sessionId = state === null ? undefined : store.takeSignOut(state);
    if (sessionId === undefined) return page(response, 400, errorPage('Sign-out not started here', 'This answer from Gatehouse belongs to no sign-out this service started (or it took more than 10 minutes).'));
    // A back-channel logout token may have ended the session already.
    const session = store.get(sessionId);
    store.end(sessionId);
    if (session) revokeQuietly(session);
    page(response, 200, home('Signed out of Gatehouse and of this service.'), { 'set-cookie': cookie(SESSION_COOKIE, '', { maxAgeSeconds: 0 }) });
  }

  /** Revokes an ended session's refresh token; the sign-out stands even when Gatehouse cannot be reached. */
  function revokeQuietly(session: Session): void {
    session.manager.logout().catch((error: unknown) => console.error(`revoking the tokens of an ended session failed: ${(error as Error).message}`));
  }

  async function dashboard(response: ServerResponse, session: Session, sessionId: string, notice: string | undefined): Promise<void> {
    const { manager } = session;
    try {
      // Two calls at once: if both get a 401, TokenManager still sends one refresh.
      const [userResponse, sourcesResponse] = await Promise.all([
        manager.fetch('/api/users/current', { headers: { accept: 'application/json' } }),
        manager.fetch('/api/alert-sources?max-results=25', { headers: { accept: 'application/json' } }),
      ]);
      if (!userResponse.ok) throw new Error(`GET /api/users/current answered ${userResponse.status}`);
      const user = (await userResponse.json()) as User;
      const sources = sourcesResponse.ok ? ((await sourcesResponse.json()) as AlertSource[]) : `GET /api/alert-sources answered ${sourcesResponse.status}`;
      const tokens = await manager.getTokens();
      if (!tokens) throw new LoginRequiredError('the tokens were cleared');
      const info = await tokenInfo(manager.config, tokens.accessToken);
      let renewedNotice = notice;
      if (tokens.accessToken !== session.lastAccessToken) {
        session.renewals++;
        session.lastAccessToken = tokens.accessToken;
        renewedNotice ??= 'The access token was renewed: Gatehouse refused the old one (401) or it was about to expire, so the service refreshed it.';
      }
      return page(response, 200, dashboardPage({ notice: renewedNotice, user, sources, tokens, info, renewals: session.renewals }));
    } catch (error) {
      if (!(error instanceof LoginRequiredError)) throw error;
      return signedOut(response, sessionId, `Your connection to Gatehouse ended: ${error.message}.`);
    }
  }

  function signedOut(response: ServerResponse, sessionId: string, text: string): void {
    sessions?.end(sessionId);
    page(response, 200, home(text), { 'set-cookie': cookie(SESSION_COOKIE, '', { maxAgeSeconds: 0 }) });
  }

  const { server, port } = await listen(handle, settings.port);
  origin = `http://localhost:${port}`;
  try {
    config = await clientConfigFor(settings, redirectUriOf('webservice', port), options.fetch);
    sessions = new ExampleSessions(config);
    openId = new OpenIdSignIn(config, sessions, origin, options.fetch);
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  return { url: origin, port, close: () => closeServer(server) };
}

/**
 * A POST must come from this site's own pages (the session cookie is SameSite=Lax as well). Under
 * `Referrer-Policy: no-referrer` browsers send `Origin: null` even for same-origin forms, so
 * Sec-Fetch-Site decides where browsers send it.
 */
function sameOrigin(request: IncomingMessage, origin: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const from = request.headers.origin;
  return from === undefined || from === 'null' || from === origin;
}
