// Clients that registered themselves (RFC 7591), for platform admins: they belong to no account,
// so this is the one list they appear in — what each calls itself, where it sends people back to,
// how it authenticates, when it registered and was last used — each with a Delete button that asks first.
import type { App } from '../../domain/app.ts';
import { html } from '../html.ts';
import { redirectHost } from '../self-registered.ts';
import { date } from './parts.ts';
import { consolePage, type Viewer } from './shell.ts';

const hosts = (app: App): string => [...new Set(app.redirectUris.map((uri) => redirectHost(uri) ?? uri))].join(', ');

export function dynamicClientsPage(o: { viewer: Viewer; clients: App[]; purgeDays: number; notice?: string }): string {
  const body =
    o.clients.length === 0
      ? html`<section class="card empty"><p>No client has registered itself.</p></section>`
      : html`<div class="table-card">
<table class="list">
  <caption class="visually-hidden">Clients that registered themselves</caption>
  <thead><tr><th scope="col">Client</th><th scope="col">Redirects to</th><th scope="col">Authentication</th><th scope="col">Registered</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
  ${o.clients.map(
    (app) => html`<tr>
    <th scope="row"><span>${app.name}</span><br><code class="small muted">${app.clientId}</code>${app.clientMetadata?.softwareId ? html`<br><span class="small muted">${app.clientMetadata.softwareId}${app.clientMetadata.softwareVersion ? ` ${app.clientMetadata.softwareVersion}` : ''}</span>` : ''}</th>
    <td data-label="Redirects to" class="break">${hosts(app) || 'nowhere'}</td>
    <td data-label="Authentication">${app.tokenEndpointAuthMethod ?? 'client_secret_basic'}</td>
    <td data-label="Registered">${date(app.createdAt)}</td>
    <td data-label="Last used">${app.lastUsedAt ? date(app.lastUsedAt) : 'never'}</td>
    <td class="actions"><a class="button danger" href="/console/admin/clients/${app.id}/delete">Delete<span class="visually-hidden"> ${app.name}</span></a></td>
  </tr>`,
  )}
  </tbody>
</table>
</div>`;
  const purge = o.purgeDays > 0 ? `Clients that get no token for ${o.purgeDays} days are deleted automatically.` : 'Unused clients are kept (GATEHOUSE_REGISTRATION_PURGE_DAYS=0).';
  return consolePage({
    viewer: o.viewer,
    section: 'admin-clients',
    title: 'Registered clients',
    notice: o.notice,
    body: html`<p class="lead">Clients that registered themselves through dynamic client registration. They belong to no account and nobody verified them; the consent page says so. ${purge}</p>${body}`,
  });
}
