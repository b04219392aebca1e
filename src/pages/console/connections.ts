// App connections: the apps a person allowed to act for them, what each may do (in the consent
// page's words), from which client, since when, last used when — each with Revoke, which asks first.
import { describeScopes, ScopeSet } from '../../oauth/scopes.ts';
import type { Connection } from '../../domain/grant.ts';
import { html } from '../html.ts';
import { appIcon, date, dateTime } from './parts.ts';
import { consolePage, type Viewer } from './shell.ts';

export function connectionsPage(o: { viewer: Viewer; connections: Connection[]; notice?: string }): string {
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
    <ul class="scopes compact">
      ${describeScopes(ScopeSet.fromStored(c.scope)).map((line) => html`<li><span class="tick" aria-hidden="true"></span><span>${line.verbs} <strong>${line.noun}</strong></span></li>`)}
    </ul>
    <p class="form-actions"><a class="button danger-outline" href="/console/connections/${c.appId}/revoke">Revoke access…<span class="visually-hidden"> of ${c.appName}</span></a></p>
  </li>`;
  })}
</ul>`;
  return consolePage({
    viewer: o.viewer,
    section: 'connections',
    title: 'App connections',
    notice: o.notice,
    body: html`<p class="lead">Apps you allowed to access your account (${o.viewer.tenantName}). Revoking ends the app's access at once: its tokens stop working, and it must ask you again.</p>${body}`,
    width: 'medium',
  });
}
