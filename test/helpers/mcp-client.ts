// What an MCP client application around the official SDK keeps and does, for the interop tests:
// an OAuthClientProvider that remembers what the SDK hands it (client information, tokens, the
// PKCE verifier, discovery), and a loopback listener for the authorization response (RFC 8252),
// as desktop MCP clients run one.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

export interface TestProviderOptions {
  redirectUrl: string;
  /** A pre-registered client id; without it (and without clientMetadataUrl) the SDK registers the client. */
  clientId?: string;
  /** A client ID metadata document URL (https) the SDK uses as client id when the server supports it. */
  clientMetadataUrl?: string;
  clientName?: string;
}

export class TestOAuthProvider implements OAuthClientProvider {
  /** Every authorization URL the SDK asked the person to open, in order. */
  readonly authorizationUrls: URL[] = [];
  /** Every token set saved, in order (refreshes included). */
  readonly savedTokens: OAuthTokens[] = [];
  readonly clientMetadataUrl?: string;
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  #discovery: OAuthDiscoveryState | undefined;
  #state = '';

  constructor(readonly options: TestProviderOptions) {
    this.#client = options.clientId === undefined ? undefined : { client_id: options.clientId };
    if (options.clientMetadataUrl !== undefined) this.clientMetadataUrl = options.clientMetadataUrl;
  }

  get redirectUrl(): string {
    return this.options.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.options.clientName ?? 'MCP interop test client',
      redirect_uris: [this.options.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  /** The state of the latest authorization request, for the callback to check. */
  get expectedState(): string {
    return this.#state;
  }

  state(): string {
    this.#state = randomBytes(16).toString('base64url');
    return this.#state;
  }

  clientInformation() {
    return this.#client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.#client = info;
  }

  tokens() {
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens;
    this.savedTokens.push(tokens);
  }

  /**
   * SEP-2207: a client that wants a refresh token adds `offline_access` when the authorization
   * server lists it (Gatehouse issues public clients refresh tokens only then). The C#, Rust and
   * Ruby SDKs do this themselves; the TypeScript SDK 1.32 does not yet, so its application does.
   */
  redirectToAuthorization(url: URL): void {
    const offered = this.#discovery?.authorizationServerMetadata?.scopes_supported ?? [];
    const scope = (url.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
    if (offered.includes('offline_access') && !scope.includes('offline_access')) url.searchParams.set('scope', [...scope, 'offline_access'].join(' '));
    this.authorizationUrls.push(url);
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    return this.#verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.#discovery = state;
  }

  discoveryState() {
    return this.#discovery;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if (scope === 'all' || scope === 'client') this.#client = this.options.clientId === undefined ? undefined : { client_id: this.options.clientId };
    if (scope === 'all' || scope === 'verifier') this.#verifier = '';
    if (scope === 'all' || scope === 'discovery') this.#discovery = undefined;
  }
}

export interface CallbackListener {
  /** http://127.0.0.1:PORT/callback */
  redirectUrl: string;
  /** The next authorization response the browser brings (rejects after `timeoutMs`). */
  next(timeoutMs?: number): Promise<URL>;
  close(): Promise<void>;
}

/** A loopback listener for authorization responses; it answers the browser with a short page. */
export async function startCallbackListener(): Promise<CallbackListener> {
  const waiting: ((url: URL) => void)[] = [];
  const arrived: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    if (url.pathname !== '/callback') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Signed in: you can close this tab and return to the app.');
    const resolve = waiting.shift();
    if (resolve) resolve(url);
    else arrived.push(url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    redirectUrl: `http://127.0.0.1:${port}/callback`,
    next(timeoutMs = 20_000) {
      const ready = arrived.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        const deliver = (url: URL) => {
          clearTimeout(timer);
          resolve(url);
        };
        // A wait that gave up must not swallow the next response.
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(deliver), 1);
          reject(new Error(`no authorization response within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(deliver);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
