// A single-page app on the bundled SDK, served at the web app's origin (http://localhost:4597):
// sign in with startAuthorization, finish on the redirect, keep tokens in sessionStorage, call the
// API through the TokenManager, refresh, sign out. It reports what happened, never a token.

export interface SdkPageOptions {
  server: string;
  clientId: string;
  redirectUri: string;
}

export function sdkPage(o: SdkPageOptions): string {
  // JSON in a script: escape "<" so no value can close the script element.
  const options = JSON.stringify(o).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SDK app</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}button{font:inherit;padding:.4rem 1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}dt{font-weight:600}</style></head>
<body>
<h1>@gatehouse/client in a browser</h1>
<p id="status">loading</p>
<button id="signin" type="button" hidden>Sign in with Gatehouse</button>
<button id="signout" type="button" hidden>Sign out</button>
<dl id="facts"></dl>
<script type="module">
import * as sdk from '/sdk.js';
const options = ${options};

// Counts token-endpoint requests, to show that concurrent callers share one refresh.
let tokenRequests = 0;
const config = {
  baseUrl: options.server,
  clientId: options.clientId,
  redirectUri: options.redirectUri,
  fetch: (input, init) => {
    if (new Request(input, init).url.endsWith('/api/developers/oauth2/token')) tokenRequests++;
    return fetch(input, init);
  },
};
const manager = new sdk.TokenManager(config, { storage: new sdk.WebStorageTokenStorage() });
const status = document.getElementById('status');
const outcome = {};
function show(name, value) {
  const dt = document.createElement('dt');
  dt.textContent = name;
  const dd = document.createElement('dd');
  dd.textContent = String(value);
  document.getElementById('facts').append(dt, dd);
}
function report(word) {
  status.dataset.outcome = JSON.stringify(outcome);
  status.textContent = word;
}
async function username() {
  const me = await manager.fetch('/api/users/current', { headers: { accept: 'application/json' } });
  return me.status === 200 ? (await me.json()).username : 'HTTP ' + me.status;
}

async function start() {
  const pkce = await sdk.createPkcePair();
  outcome.challengeMatches = pkce.challenge === (await sdk.codeChallengeS256(pkce.verifier));
  location.assign(await sdk.startAuthorization(config, { scope: ['profile', 'offline_access'] }));
}

async function finish() {
  const tokens = await sdk.finishAuthorization(config, location.href);
  history.replaceState(null, '', location.pathname); // the code is spent; keep it out of the address bar
  await manager.setTokens(tokens);
  outcome.pendingCleared = sessionStorage.getItem('gatehouse.pending') === null;
  outcome.tokensInSessionStorage = JSON.parse(sessionStorage.getItem('gatehouse.tokens')).refreshToken === tokens.refreshToken;
  outcome.scope = tokens.scope;
  outcome.username = await username();
  const info = await sdk.tokenInfo(config, tokens.accessToken);
  outcome.tokenInfo = { active: info.active, tenant_id: info.tenant_id, username: info.username, scope: info.scope };

  // Thirty seconds before expiry, five requests at once: one refresh, a new refresh token.
  const before = tokenRequests;
  await manager.setTokens({ ...(await manager.getTokens()), expiresAt: Date.now() + 30000 });
  const statuses = await Promise.all([1, 2, 3, 4, 5].map(() => manager.fetch('/api/users/current').then((r) => r.status)));
  outcome.concurrentStatuses = statuses;
  outcome.refreshesForFive = tokenRequests - before;
  outcome.rotated = (await manager.getTokens()).refreshToken !== tokens.refreshToken;

  // An access token the server refuses: one 401, a refresh, and the retry succeeds.
  await manager.setTokens({ ...(await manager.getTokens()), accessToken: 'refused' });
  outcome.afterRetry = (await manager.fetch('/api/users/current')).status;
  outcome.tokenRequests = tokenRequests;
  show('Signed in as', outcome.username);
  show('Scope', outcome.scope);
  show('Refreshes for five concurrent requests', outcome.refreshesForFive);
  show('Refresh token rotated', outcome.rotated);
  document.getElementById('signout').hidden = false;
  report('done');
}

async function resume() {
  if (!(await manager.getTokens())) {
    document.getElementById('signin').hidden = false;
    report('signed out');
    return;
  }
  outcome.resumedAs = await username();
  show('Signed in again from sessionStorage as', outcome.resumedAs);
  document.getElementById('signout').hidden = false;
  report('resumed');
}

document.getElementById('signin').addEventListener('click', () => start().catch((e) => { outcome.error = String(e); report('failed'); }));
document.getElementById('signout').addEventListener('click', async () => {
  try {
    const last = await manager.getTokens();
    await manager.logout();
    outcome.afterLogout = { stored: sessionStorage.getItem('gatehouse.tokens'), active: (await sdk.tokenInfo(config, last.accessToken)).active };
    report('logged out');
  } catch (e) {
    outcome.error = String(e);
    report('failed');
  }
});
const run = new URLSearchParams(location.search).has('code') || new URLSearchParams(location.search).has('error') ? finish : resume;
run().catch((e) => { outcome.error = e.name + ': ' + e.message; report('failed'); });
</script>
</body></html>`;
}
