// The account's developer apps: icon, name, verified or not, created on, and links to manage or
// delete each.
import type { App } from '../../domain/app.ts';
import { html } from '../html.ts';
import { appIcon, date } from './parts.ts';
import { disabledBadge } from './app-disable.ts';
import { consolePage, type Viewer } from './shell.ts';

export function stateBadge(verified: boolean) {
  return verified ? html`<span class="badge verified">Verified</span>` : html`<span class="badge">Unverified</span>`;
}

export function appsListPage(o: { viewer: Viewer; apps: App[]; notice?: string }): string {
  const body =
    o.apps.length === 0
      ? html`<section class="card empty"><p>No apps yet. Register one to let it ask users of ${o.viewer.tenantName} for access to their accounts.</p>
  <a class="button primary" href="/console/apps/new">Create app</a></section>`
      : html`<div class="table-card">
<table class="list">
  <caption class="visually-hidden">Apps of ${o.viewer.tenantName}</caption>
  <thead><tr><th scope="col">App</th><th scope="col">State</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
  ${o.apps.map(
    (app) => html`<tr>
    <th scope="row" class="app-cell"><a href="/console/apps/${app.id}" class="app-link">${appIcon(app)}<span>${app.name}</span></a></th>
    <td data-label="State">${stateBadge(app.verified)}${disabledBadge(app)}</td>
    <td data-label="Created">${date(app.createdAt)}</td>
    <td class="actions"><a href="/console/apps/${app.id}" class="button secondary small">Edit<span class="visually-hidden"> ${app.name}</span></a>
      <a href="/console/apps/${app.id}/delete" class="button danger-outline small">Delete<span class="visually-hidden"> ${app.name}</span></a></td>
  </tr>`,
  )}
  </tbody>
</table>
</div>`;
  return consolePage({
    viewer: o.viewer,
    section: 'apps',
    title: 'Developer apps',
    actions: o.apps.length > 0 ? html`<a class="button primary" href="/console/apps/new">Create app</a>` : undefined,
    notice: o.notice,
    body,
  });
}
