// The example web service (ilert's backend flow on @gatehouse/client): /authorize starts the
// flow (state in a cookie, PKCE verifier on the server), /authorize-result trades the code with the
// client secret, and / shows the profile and alert sources through the session's TokenManager.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  buildAuthorizeUrl,
  CallbackValidationError,
  createPkcePair,
  createState,
  exchangeCode,
  handleCallback,
  LoginRequiredError,
  OAuthClientError,
  tokenInfo,
  type ClientConfig,
  type FetchLike,
} from '@gatehouse/client';
import { clientConfigFor } from '../shared/gatehouse.ts';
import { closeServer, cookie, cookies, listen, redirect, send, type RunningExample } from '../shared/http.ts';
import { redirectUriOf, type ExampleSettings } from '../shared/settings.ts';
import { dashboardPage, errorPage, homePage, type AlertSource, type User } from './pages.ts';
import { ExampleSessions, PENDING_COOKIE_SECONDS, type Session } from './sessions.ts';

export const WEBSERVICE_SCOPE = 'profile source:w';
const SESSION_COOKIE = 'example_session';
const STATE_COOKIE = 'example_state';
const HTML = 'text/html; charset=utf-8';
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const NOTICES: Record<string, string> = {
  connected: 'Connected: the service traded the code for tokens with its client secret.',
  refreshed: 'Tokens refreshed.',
  'signed-out': 'Signed out: Gatehouse revoked the tokens.',
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
  let origin = '';

  const page = (response: ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}) =>
    send(response, status, HTML, html, { 'content-security-policy': CSP, ...headers });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!config || !sessions) return send(response, 503, 'text/plain; charset=utf-8', 'Starting');
    const url = new URL(request.url ?? '/', origin);
    const route = `${request.method} ${url.pathname}`;
    const sessionId = cookies(request).get(SESSION_COOKIE);
    const session = sessions.get(sessionId);
    if (request.method === 'POST' && !sameOrigin(request, origin)) return send(response, 403, 'text/plain; charset=utf-8', 'Forms post from this site only');

    switch (route) {
      case 'GET /style.css':
        return send(response, 200, 'text/css; charset=utf-8', style);
      case 'GET /favicon.ico':
        return send(response, 204, 'image/x-icon', '');
      case 'GET /authorize': {
        const state = createState();
        const pkce = await createPkcePair();
        sessions.remember(state, pkce.verifier);
        // The client secret authenticates the service; PKCE also ties the code to this very request.
        const location = buildAuthorizeUrl(config, { scope: WEBSERVICE_SCOPE, state, codeChallenge: pkce.challenge });
        response.writeHead(302, { location, 'set-cookie': cookie(STATE_COOKIE, state, { path: '/authorize-result', maxAgeSeconds: PENDING_COOKIE_SECONDS }) });
        return void response.end();
      }
      case 'GET /authorize-result':
        return finish(request, url, response, config, sessions);
      case 'GET /':
        if (!session) return page(response, 200, homePage({ notice: NOTICES[url.searchParams.get('done') ?? ''], scope: WEBSERVICE_SCOPE, tenant: settings.tenant }));
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

  async function finish(request: IncomingMessage, url: URL, response: ServerResponse, client: ClientConfig, store: ExampleSessions): Promise<void> {
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
    const codeVerifier = store.take(expectedState);
    if (!codeVerifier) return page(response, 400, errorPage('Sign-in expired', 'This sign-in took too long or was already finished.'), clearState);
    try {
      const tokens = await exchangeCode(client, { code, codeVerifier });
      const id = store.create(tokens);
      return redirect(response, '/?done=connected', { 'set-cookie': [clearState['set-cookie'], cookie(SESSION_COOKIE, id)] });
    } catch (error) {
      if (!(error instanceof OAuthClientError)) throw error;
      return page(response, 400, errorPage('Not connected', `Gatehouse refused the code: ${error.code}${error.description ? `: ${error.description}` : ''}`), clearState);
    }
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
    page(response, 200, homePage({ notice: text, scope: WEBSERVICE_SCOPE, tenant: settings.tenant }), { 'set-cookie': cookie(SESSION_COOKIE, '', { maxAgeSeconds: 0 }) });
  }

  const { server, port } = await listen(handle, settings.port);
  origin = `http://localhost:${port}`;
  try {
    config = await clientConfigFor(settings, redirectUriOf('webservice', port), options.fetch);
    sessions = new ExampleSessions(config);
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
