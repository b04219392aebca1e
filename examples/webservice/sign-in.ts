// "Sign in with Gatehouse" (OpenID Connect) in the example web service: after the code exchange
// the ID token is checked (signature, iss, aud, azp, exp, iat, nonce, at_hash) and UserInfo read;
// "Sign out" goes through Gatehouse's end_session_endpoint and back to /signed-out; and
// POST /backchannel-logout ends the sessions a logout token names. The checks are @gatehouse/client's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  buildEndSessionUrl,
  createState,
  discoverOpenIdProvider,
  fetchUserInfo,
  GatehouseClientError,
  MemoryReplayGuard,
  TokenValidationError,
  validateIdToken,
  validateLogoutToken,
  type ClientConfig,
  type FetchLike,
  type OpenIdProvider,
  type TokenSet,
} from '@gatehouse/client';
import { readForm, send } from '../shared/http.ts';
import type { ExampleSessions, Identity, Session } from './sessions.ts';

export const OPENID_SCOPE = 'openid profile email';
export const SIGNED_OUT_PATH = '/signed-out';
export const BACKCHANNEL_LOGOUT_PATH = '/backchannel-logout';

const JSON_TYPE = 'application/json';

export class OpenIdSignIn {
  private readonly replay = new MemoryReplayGuard();
  private discovered: Promise<OpenIdProvider> | undefined;

  constructor(
    private readonly config: ClientConfig,
    private readonly sessions: ExampleSessions,
    /** http://localhost:PORT of this service. */
    private readonly origin: string,
    private readonly fetch?: FetchLike,
  ) {}

  /** Gatehouse's OpenID Connect discovery document, read on first use (and again after a failure). */
  provider(): Promise<OpenIdProvider> {
    this.discovered ??= discoverOpenIdProvider(this.config.issuer ?? this.config.baseUrl, this.fetch ? { fetch: this.fetch } : {}).catch((error: unknown) => {
      this.discovered = undefined;
      throw error;
    });
    return this.discovered;
  }

  /** Checks the ID token of a code exchange against the nonce this sign-in sent, then reads UserInfo for its `sub`. */
  async identify(tokens: TokenSet, nonce: string): Promise<Identity> {
    if (!tokens.idToken) throw new TokenValidationError('malformed', 'the token response has no id_token (was openid granted?)');
    const provider = await this.provider();
    const claims = await validateIdToken(provider, tokens.idToken, { clientId: this.config.clientId, nonce, accessToken: tokens.accessToken });
    const userinfo = await fetchUserInfo(provider, tokens.accessToken, claims.sub);
    return { idToken: tokens.idToken, claims, userinfo };
  }

  /** The origin of Gatehouse's end_session_endpoint, where "Sign out" leads; undefined when it has none. */
  async endSessionOrigin(): Promise<string | undefined> {
    const endpoint = (await this.provider()).endSessionEndpoint;
    return endpoint === undefined ? undefined : new URL(endpoint).origin;
  }

  /**
   * Where "Sign out" sends the browser: Gatehouse's end_session_endpoint with the ID token as hint
   * and a state that /signed-out checks, or undefined when Gatehouse has no such endpoint.
   */
  async signOutUrl(session: Session, sessionId: string): Promise<string | undefined> {
    const state = createState();
    const url = buildEndSessionUrl(await this.provider(), {
      clientId: this.config.clientId,
      ...(session.identity ? { idTokenHint: session.identity.idToken } : {}),
      postLogoutRedirectUri: this.origin + SIGNED_OUT_PATH,
      state,
    });
    if (url) this.sessions.rememberSignOut(state, sessionId);
    return url;
  }

  /** POST /backchannel-logout (Back-Channel Logout §2.8): 200 once the sessions named are ended, 400 with a JSON error otherwise. */
  async receiveLogout(request: IncomingMessage, response: ServerResponse, endSessions: (ended: Session[]) => void): Promise<void> {
    const refuse = (description: string) => send(response, 400, JSON_TYPE, JSON.stringify({ error: 'invalid_request', error_description: description }));
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return refuse('send logout_token as application/x-www-form-urlencoded');
    const logoutToken = (await readForm(request)).get('logout_token');
    if (!logoutToken) return refuse('logout_token is missing');
    try {
      const who = await validateLogoutToken(await this.provider(), logoutToken, { clientId: this.config.clientId, replay: this.replay });
      endSessions(this.sessions.endSignedOut(who));
    } catch (error) {
      if (!(error instanceof GatehouseClientError)) throw error;
      return refuse(error instanceof TokenValidationError ? `the logout token failed a check (${error.reason}): ${error.message}` : error.message);
    }
    return send(response, 200, JSON_TYPE, '{}');
  }
}
