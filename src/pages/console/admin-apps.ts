// Every app of every account, for platform admins: which account owns it, since when, and whether
// it is verified — with the button that changes that.
import type { App } from '../../domain/app.ts';
import { html } from '../html.ts';
import { stateBadge } from './apps-list.ts';
import { appIcon, date } from './parts.ts';
import { consolePage, type Viewer } from './shell.ts';

export function adminAppsPage(o: { viewer: Viewer; apps: App[]; tenants: Map<number, string>; notice?: string }): string {
  const body =
    o.apps.length === 0
      ? html`<section class="card empty"><p>No account has registered an app yet.</p></section>`
      : html`<div class="table-card">
<table class="list">
  <caption class="visually-hidden">Apps of every account</caption>
  <thead><tr><th scope="col">App</th><th scope="col">Account</th><th scope="col">Created</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
  ${o.apps.map(
    (app) => html`<tr>
    <th scope="row" class="app-cell"><span class="app-link">${appIcon(app)}<span>${app.name}</span></span></th>
    <td data-label="Account">${(app.tenantId !== null && o.tenants.get(app.tenantId)) || 'unknown'}</td>
    <td data-label="Created">${date(app.createdAt)}</td>
    <td data-label="State">${stateBadge(app.verified)}</td>
    <td class="actions">
      <form method="post" action="/console/admin/apps/${app.id}/verified">
        <input type="hidden" name="csrf" value="${o.viewer.csrf}">
        <input type="hidden" name="verified" value="${app.verified ? 'false' : 'true'}">
        <button type="submit" class="${app.verified ? 'secondary' : 'primary'}">${app.verified ? 'Mark unverified' : 'Mark verified'}<span class="visually-hidden"> ${app.name}</span></button>
      </form>
    </td>
  </tr>`,
  )}
  </tbody>
</table>
</div>`;
  return consolePage({
    viewer: o.viewer,
    section: 'admin-apps',
    title: 'All apps',
    notice: o.notice,
    body: html`<p class="lead">Verified apps show a Verified badge on the consent page and under App connections. Verify an app once you know who runs it and what it does.</p>${body}`,
  });
}
