// The example web service's pages, rendered on the server. Every value from Gatehouse is escaped;
// no token or secret is ever put into a page.
import type { TokenInfo, TokenSet } from '@gatehouse/client';
import { escapeHtml as e } from '../shared/http.ts';
import type { Identity } from './sessions.ts';

export interface User {
  username?: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  role?: string;
}

export interface AlertSource {
  id?: number;
  name?: string;
  integrationType?: string;
  status?: string;
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(title)} · Example web service</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="top"><span class="brand">Example web service</span><span class="tag">confidential client · tokens kept on the server · @gatehouse/client</span></header>
<main id="main"><section class="card">
${body}
</section></main>
</body>
</html>`;
}

const notice = (text: string | undefined) => (text ? `<p class="notice" role="status">${e(text)}</p>` : '');

export function homePage(options: { notice?: string; scope: string; openIdScope: string; tenant?: string }): string {
  return layout(
    'Connect',
    `<h1>Connect this service to Gatehouse</h1>
<p class="lead">A backend app with a client secret. It sends you to Gatehouse to sign in and allow
access, trades the code for tokens on the server, and keeps them there: your browser only gets a
session cookie.</p>
${notice(options.notice)}
<p>You will sign in on Gatehouse${options.tenant ? ` (account ${e(options.tenant)}, on its own host)` : ''} and allow this
service to <strong>see your profile</strong> and <strong>see, create and edit alert sources</strong>
(<code>${e(options.scope)}</code>).</p>
<div class="actions"><a class="button" href="/authorize">Connect with Gatehouse</a></div>
<h2>Or sign in with your Gatehouse account</h2>
<p>OpenID Connect (<code>${e(options.openIdScope)}</code>): the service checks the ID token Gatehouse
signs (its signature, issuer, audience, expiry, nonce and <code>at_hash</code>), then asks UserInfo
for your name and email. Signing out here signs you out of Gatehouse too.</p>
<div class="actions"><a class="button" href="/sign-in">Sign in with Gatehouse</a></div>`,
  );
}

export function errorPage(title: string, detail: string): string {
  return layout(
    title,
    `<h1>${e(title)}</h1>
<p class="alert" role="alert">${e(detail)}</p>
<div class="actions"><a class="button" href="/authorize">Try again</a><a class="button secondary" href="/">Home</a></div>`,
  );
}

const time = (ms: number) => new Date(ms).toLocaleTimeString('en-GB');
const rows = (pairs: [string, string][]) => pairs.map(([term, value]) => `<dt>${e(term)}</dt><dd>${e(value)}</dd>`).join('');

function sourcesTable(sources: AlertSource[] | string): string {
  if (typeof sources === 'string') return `<p class="alert">${e(sources)}</p>`;
  if (sources.length === 0) return '<p class="muted">This account has no alert sources yet.</p>';
  const body = sources
    .map((s) => `<tr><td>${e(s.name ?? '')}</td><td>${e(s.integrationType ?? '')}</td><td>${e(s.status ?? '')}</td></tr>`)
    .join('');
  return `<table><thead><tr><th scope="col">Name</th><th scope="col">Integration</th><th scope="col">Status</th></tr></thead><tbody>${body}</tbody></table>`;
}

export interface DashboardData {
  notice?: string;
  user: User;
  /** The list, or why it could not be read. */
  sources: AlertSource[] | string;
  tokens: TokenSet;
  info: TokenInfo;
  renewals: number;
}

export function dashboardPage(d: DashboardData): string {
  const name = [d.user.firstName, d.user.lastName].filter(Boolean).join(' ');
  const { tokens } = d;
  return layout(
    'Connected',
    `<h1>Connected to Gatehouse</h1>
${notice(d.notice)}
<h2>Your profile <span class="muted small">(GET /api/users/current)</span></h2>
<dl id="profile">${rows([
      ['Name', name || '—'],
      ['Username', d.user.username ?? '—'],
      ['Email', d.user.email ?? '—'],
      ['Role', d.user.role ?? '—'],
      ['Account', d.info.active ? d.info.tenant_id : '—'],
    ])}</dl>
<h2>Alert sources <span class="muted small">(GET /api/alert-sources)</span></h2>
<div id="alert-sources" class="table-wrap">${sourcesTable(d.sources)}</div>
<h2>Tokens <span class="muted small">(kept on the server, never sent to your browser)</span></h2>
<dl id="tokens">${rows([
      ['Scope', tokens.scope ?? '—'],
      ['Access token', tokens.expiresAt === undefined ? 'held' : `held, expires at ${time(tokens.expiresAt)}`],
      ['Refresh token', tokens.refreshToken ? 'held' : 'none'],
      ['Renewed', d.renewals === 1 ? '1 time' : `${d.renewals} times`],
      ['token_info', d.info.active ? `active, app ${String(d.info.app_id)}, user ${d.info.username}` : 'inactive'],
    ])}</dl>
<div class="actions">
  <a class="button" href="/">Reload</a>
  <form method="post" action="/refresh"><button class="button secondary" type="submit">Refresh tokens</button></form>
  <form method="post" action="/sign-out"><button class="button secondary" type="submit">Sign out and revoke</button></form>
</div>`,
  );
}

const claimText = (value: unknown) => (value === undefined || value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value));
const epochTime = (value: unknown) => (typeof value === 'number' ? `${new Date(value * 1000).toISOString().replace('.000Z', 'Z')} (${value})` : '—');

/** The page of a "Sign in with Gatehouse" session: who signed in (UserInfo) and what the ID token says. */
export function signedInPage(options: { notice?: string; identity: Identity }): string {
  const { claims, userinfo } = options.identity;
  const name = claimText(userinfo.name ?? userinfo.preferred_username);
  return layout(
    'Signed in',
    `<h1>Signed in as ${e(name)}${typeof userinfo.email === 'string' ? ` (${e(userinfo.email)})` : ''}</h1>
${notice(options.notice)}
<h2>Your ID token <span class="muted small">(signature and claims checked by @gatehouse/client)</span></h2>
<dl id="id-token">${rows([
      ['sub', claimText(claims.sub)],
      ['auth_time', epochTime(claims.auth_time)],
      ['sid', claimText(claims.sid)],
      ['iss', claimText(claims.iss)],
      ['expires', epochTime(claims.exp)],
    ])}</dl>
<h2>UserInfo <span class="muted small">(GET userinfo_endpoint)</span></h2>
<dl id="userinfo">${rows(Object.entries(userinfo).map(([claim, value]) => [claim, claimText(value)]))}</dl>
<div class="actions">
  <form method="post" action="/sign-out"><button class="button" type="submit">Sign out</button></form>
</div>`,
  );
}
