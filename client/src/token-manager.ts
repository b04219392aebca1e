// Keeps an app's tokens fresh: stores them through an adapter, refreshes 60 s before expiry,
// runs at most one refresh at a time (every concurrent caller waits for the same one), and gives
// a fetch that adds the bearer token and retries once after a 401.
import { nowOf, type ClientConfig } from './config.ts';
import { LoginRequiredError, OAuthClientError } from './errors.ts';
import { MemoryTokenStorage, type TokenStorage } from './storage.ts';
import { revoke } from './token-info.ts';
import { refresh, type TokenSet } from './tokens.ts';

export interface TokenManagerOptions {
  /** Default: MemoryTokenStorage. In a browser: new WebStorageTokenStorage() (sessionStorage). */
  storage?: TokenStorage;
  /** Refresh when the access token has this many seconds left or fewer (default 60). */
  refreshLeewaySeconds?: number;
  /** Relative URLs given to fetch() resolve against this (default: config.baseUrl). */
  apiBaseUrl?: string;
}

export class TokenManager {
  readonly storage: TokenStorage;
  private readonly leewayMs: number;
  private readonly apiBaseUrl: string;
  private inFlight: Promise<TokenSet> | undefined;
  // Bumped by setTokens/clear so a refresh that finishes afterwards cannot bring old tokens back.
  private generation = 0;

  constructor(
    readonly config: ClientConfig,
    options: TokenManagerOptions = {},
  ) {
    this.storage = options.storage ?? new MemoryTokenStorage();
    this.leewayMs = (options.refreshLeewaySeconds ?? 60) * 1000;
    this.apiBaseUrl = options.apiBaseUrl ?? config.baseUrl;
  }

  /** Stores tokens, e.g. the result of exchangeCode(). */
  async setTokens(tokens: TokenSet): Promise<void> {
    this.generation++;
    await this.storage.save(tokens);
  }

  async getTokens(): Promise<TokenSet | undefined> {
    return this.storage.load();
  }

  /** Forgets the tokens locally (no server call; see logout()). */
  async clear(): Promise<void> {
    this.generation++;
    await this.storage.clear();
  }

  /**
   * A usable access token: the stored one, or a refreshed one when it has less than the leeway
   * left. Throws LoginRequiredError when there is none and no way to get one.
   */
  async getAccessToken(): Promise<string> {
    const tokens = await this.storage.load();
    if (!tokens) throw new LoginRequiredError('no tokens stored: authorize first');
    const now = nowOf(this.config);
    if (tokens.expiresAt === undefined || tokens.expiresAt - this.leewayMs > now) return tokens.accessToken;
    const expired = tokens.expiresAt <= now;
    if (!tokens.refreshToken) {
      if (expired) throw new LoginRequiredError('the access token expired and there is no refresh token');
      return tokens.accessToken;
    }
    try {
      return (await this.refresh()).accessToken;
    } catch (error) {
      // A refresh that failed for a passing reason (network, 5xx) must not end a token that still works.
      if (error instanceof LoginRequiredError || expired) throw error;
      return tokens.accessToken;
    }
  }

  /**
   * Refreshes now. Concurrent calls share one request: with rotating refresh tokens a second
   * request would send a token the first one already spent, which the server may treat as theft.
   */
  refresh(): Promise<TokenSet> {
    this.inFlight ??= this.runRefresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async runRefresh(): Promise<TokenSet> {
    const generation = this.generation;
    const tokens = await this.storage.load();
    if (!tokens?.refreshToken) throw new LoginRequiredError('no refresh token stored: authorize again');
    if (tokens.refreshTokenExpiresAt !== undefined && tokens.refreshTokenExpiresAt <= nowOf(this.config)) {
      await this.clear();
      throw new LoginRequiredError('the refresh token expired: authorize again');
    }
    let next: TokenSet;
    try {
      next = await refresh(this.config, tokens.refreshToken);
    } catch (error) {
      if (error instanceof OAuthClientError && error.code === 'invalid_grant') {
        if (generation === this.generation) await this.clear();
        throw new LoginRequiredError('the server refused the refresh token (expired or revoked): authorize again', { cause: error });
      }
      throw error;
    }
    // A server that does not rotate keeps the old refresh token and its expiry.
    if (next.refreshToken === tokens.refreshToken && next.refreshTokenExpiresAt === undefined && tokens.refreshTokenExpiresAt !== undefined) {
      next = { ...next, refreshTokenExpiresAt: tokens.refreshTokenExpiresAt };
    }
    if (generation !== this.generation) throw new LoginRequiredError('the tokens were replaced or cleared during the refresh');
    await this.storage.save(next);
    return next;
  }

  /**
   * fetch() with `Authorization: Bearer …`. On a 401 it refreshes (or takes the token another
   * caller just refreshed) and sends the request once more. Without a refresh token the 401
   * response is returned as it is. Relative URLs resolve against apiBaseUrl.
   */
  async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = new Request(typeof input === 'string' ? new URL(input, this.apiBaseUrl) : input, init);
    const token = await this.getAccessToken();
    // Keep an unread copy: a body can be sent only once.
    const first = await this.send(request.clone(), token);
    if (first.status !== 401) return first;
    const fresh = await this.tokenAfterRejection(token);
    if (fresh === undefined) return first;
    await first.body?.cancel();
    return this.send(request, fresh);
  }

  private send(request: Request, token: string): Promise<Response> {
    request.headers.set('authorization', `Bearer ${token}`);
    const send = this.config.fetch;
    return send ? send(request) : globalThis.fetch(request);
  }

  private async tokenAfterRejection(rejected: string): Promise<string | undefined> {
    const current = await this.storage.load();
    if (!current) throw new LoginRequiredError('the tokens were cleared');
    if (current.accessToken !== rejected) return current.accessToken; // another caller refreshed meanwhile
    if (!current.refreshToken) return undefined;
    return (await this.refresh()).accessToken;
  }

  /**
   * Signs the app out: forgets the tokens and revokes the refresh token (on Gatehouse this ends
   * the grant's access tokens too), or the access token when there is no refresh token.
   */
  async logout(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    const tokens = await this.storage.load();
    await this.clear();
    if (!tokens) return;
    if (tokens.refreshToken) await revoke(this.config, tokens.refreshToken, { tokenTypeHint: 'refresh_token' });
    else await revoke(this.config, tokens.accessToken, { tokenTypeHint: 'access_token' });
  }
}
