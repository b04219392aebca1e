// App connections: the apps a person allowed to act for them, what each may do (in the consent
// page's words), from which client, since when, last used when — each with Revoke, which asks first;
// and "Sign out everywhere", which asks first too.
import type { ConnectionView } from '../../platform/connections.ts';
import type { ScopeLine } from '../../oauth/scopes.ts';
import { html } from '../html.ts';
import { appIcon, date, dateTime } from './parts.ts';
import { consolePage, type Viewer } from './shell.ts';

const scopeItems = (lines: ScopeLine[]) =>
  lines.map((line) => html`<li><span class="tick" aria-hidden="true"></span><span>${line.verbs}${line.noun === '' ? '' : html` <strong>${line.noun}</strong>`}</span></li>`);

/** One list for the built-in API alone (as before resources were data); one group per resource otherwise. */
function allowed(c: ConnectionView) {
  const only = c.scopes.length === 1 ? c.scopes[0] : undefined;
  if (c.scopes.length === 0 || only?.builtIn) return html`<ul class="scopes compact">${scopeItems([...(only?.lines ?? []), ...c.offline])}</ul>`;
  return html`${c.scopes.map((group) => html`<h4 class="resource-heading">On ${group.resourceName} <span class="muted small">${group.identifier}</span></h4>
    <ul class="scopes compact">${scopeItems(group.lines)}</ul>`)}${c.offline.length > 0 ? html`<ul class="scopes compact">${scopeItems(c.offline)}</ul>` : ''}`;
}

/** Every user's way to end all their sessions (a lost device, a shared computer). */
const signOutEverywhere = html`<section class="card" aria-labelledby="sign-out-everywhere">
  <h2 id="sign-out-everywhere">Sign out everywhere</h2>
  <p class="muted small">Signed in on a computer you no longer use, or lost a device? End every session of yours at once, this one too. Apps that signed you in are told.</p>
  <p class="form-actions"><a class="button danger-outline" href="/console/sign-out-everywhere">Sign out everywhere…</a></p>
</section>`;

/** Where people find their passkeys (until the console's Security page links them). */
const passkeysLink = html`<section class="card" aria-labelledby="passkeys-link">
  <h2 id="passkeys-link">Passkeys</h2>
  <p class="muted small">Sign in without your password, with this device's screen lock or a security key.</p>
  <p class="form-actions"><a class="button secondary" href="/console/security/passkeys">Manage passkeys</a></p>
</section>`;

export function connectionsPage(o: { viewer: Viewer; connections: ConnectionView[]; notice?: string }): string {
  const body =
    o.connections.length === 0
      ? html`<section class="card empty"><p>No app can act for you. When you allow an app to access your account, it appears here, and you can revoke its access at any time.</p></section>`
      : html`<ul class="connections">
  ${o.connections.map((c) => {
    const headingId = `connection-${c.appId}`;
    return html`<li class="card connection">
    <div class="connection-head">
      ${appIcon({ clientId: c.appClientId, name: c.appName, iconUpdatedAt: c.appIconUpdatedAt })}
      <div>
        <h2 id="${headingId}">${c.appName} ${c.appVerified ? html`<span class="badge verified">Verified</span>` : html`<span class="badge">Unverified</span>`}</h2>
        ${c.appDescription ? html`<p class="muted small">${c.appDescription}</p>` : ''}
      </div>
    </div>
    <dl class="facts">
      <div><dt>Client</dt><dd>${c.clientDescription || 'Unknown'}</dd></div>
      <div><dt>Connected on</dt><dd>${date(c.connectedAt)}</dd></div>
      <div><dt>Last activity</dt><dd>${dateTime(c.lastActivityAt)}</dd></div>
    </dl>
    <h3>It can</h3>
    ${allowed(c)}
    <p class="form-actions"><a class="button danger-outline" href="/console/connections/${c.appId}/revoke">Revoke access…<span class="visually-hidden"> of ${c.appName}</span></a></p>
  </li>`;
  })}
</ul>`;
  return consolePage({
    viewer: o.viewer,
    section: 'connections',
    title: 'App connections',
    notice: o.notice,
    body: html`<p class="lead">Apps you allowed to access your account (${o.viewer.tenantName}). Revoking ends the app's access at once: its tokens stop working, and it must ask you again.</p>${body}${passkeysLink}${signOutEverywhere}`,
    width: 'medium',
  });
}
