// The example single-page app on @gatehouse/client: Connect (PKCE authorize), the callback
// (state and iss checked, code exchanged), the profile through TokenManager.fetch (refresh and
// retry on a 401), a refresh 60 s before expiry, a Refresh button, and Sign out (revoke).
import {
  CallbackValidationError,
  finishAuthorization,
  LoginRequiredError,
  OAuthClientError,
  startAuthorization,
  TokenManager,
  tokenInfo,
  WebStorageTokenStorage,
  type TokenInfo,
  type TokenSet,
} from '@gatehouse/client';
import { readPageConfig } from './page-config.ts';
import { view, type Profile } from './view.ts';

const { client, scope, tenant } = readPageConfig(document);
/** Refresh this long before the access token expires (the TokenManager's leeway too). */
const LEEWAY_SECONDS = 60;
const manager = new TokenManager(client, { storage: new WebStorageTokenStorage('example-webapp.tokens'), refreshLeewaySeconds: LEEWAY_SECONDS });

let renewals = 0;
let lastAccessToken: string | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** What went wrong, in words; the OAuth error code stays visible (e.g. "access_denied: …"). */
function describe(error: unknown): string {
  if (error instanceof OAuthClientError) return `Gatehouse answered ${error.code}${error.description ? `: ${error.description}` : ''}`;
  if (error instanceof CallbackValidationError) return `The answer from Gatehouse failed a check (${error.reason}): ${error.message}`;
  if (error instanceof LoginRequiredError) return `You are signed out: ${error.message}`;
  return `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
}

/** Counts a new access token, whoever fetched it (a click, the timer, or TokenManager after a 401). */
function noteTokens(tokens: TokenSet): void {
  if (lastAccessToken !== undefined && tokens.accessToken !== lastAccessToken) renewals++;
  lastAccessToken = tokens.accessToken;
  view.tokens(tokens, renewals);
  scheduleRefresh(tokens);
}

/** Proactive refresh: a timer for LEEWAY_SECONDS before expiry, so the API never sees an expired token. */
function scheduleRefresh(tokens: TokenSet): void {
  clearTimeout(refreshTimer);
  if (tokens.expiresAt === undefined || !tokens.refreshToken) return;
  const delay = Math.max(0, tokens.expiresAt - LEEWAY_SECONDS * 1000 - Date.now());
  refreshTimer = setTimeout(() => {
    void act(async () => {
      noteTokens(await manager.refresh());
      view.notice(`Refreshed automatically ${LEEWAY_SECONDS} s before the access token expired, at ${new Date().toLocaleTimeString('en-GB')}.`);
    });
  }, delay);
}

async function loadProfile(): Promise<void> {
  // TokenManager.fetch adds the bearer token; on a 401 it refreshes once and retries.
  const response = await manager.fetch('/api/users/current', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET /api/users/current answered ${response.status}`);
  const user = (await response.json()) as Profile;
  const tokens = await manager.getTokens();
  if (!tokens) throw new LoginRequiredError('the tokens were cleared');
  const info: TokenInfo = await tokenInfo(client, tokens.accessToken);
  const renewed = lastAccessToken !== undefined && tokens.accessToken !== lastAccessToken;
  noteTokens(tokens);
  view.profile(user, info);
  view.signedIn();
  if (renewed) view.notice('Gatehouse refused the access token, so the app refreshed it and asked again.');
}

/** Runs one user action: buttons off meanwhile, errors shown; a lost session shows the Connect button. */
async function act(work: () => Promise<void>): Promise<void> {
  view.busy(true);
  view.error(undefined);
  try {
    await work();
  } catch (error) {
    view.error(describe(error));
    if (error instanceof LoginRequiredError || !(await manager.getTokens())) {
      clearTimeout(refreshTimer);
      view.signedOut();
    }
  } finally {
    view.busy(false);
  }
}

async function start(): Promise<void> {
  view.intro(scope, tenant);
  const here = new URL(location.href);
  if (here.searchParams.has('code') || here.searchParams.has('error')) {
    // The code works once: keep it out of the history and of anything the user bookmarks.
    history.replaceState(null, '', here.pathname);
    await act(async () => {
      await manager.setTokens(await finishAuthorization(client, here));
      view.notice('Connected: Gatehouse issued the tokens.');
    });
  }
  if (await manager.getTokens()) await act(loadProfile);
  else view.signedOut();
}

view.button('connect').addEventListener('click', () => {
  void act(async () => {
    location.assign(await startAuthorization(client, { scope }));
  });
});
view.button('reload').addEventListener('click', () => {
  void act(async () => {
    view.notice('');
    await loadProfile();
  });
});
view.button('refresh').addEventListener('click', () => {
  void act(async () => {
    noteTokens(await manager.refresh());
    view.notice(`Tokens refreshed at ${new Date().toLocaleTimeString('en-GB')}.`);
  });
});
view.button('sign-out').addEventListener('click', () => {
  void act(async () => {
    clearTimeout(refreshTimer);
    // Forgets the tokens here and revokes the refresh token, which ends its access tokens too.
    await manager.logout();
    lastAccessToken = undefined;
    renewals = 0;
    view.signedOut();
    view.notice('Signed out: Gatehouse revoked the tokens.');
  });
});

void start();
