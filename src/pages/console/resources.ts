// Resource servers for platform admins: what the pages show of one (the built-in API with its real
// identifier), how a scope reads, and the list with the way to register another.
import type { ScopeDefinition } from '../../domain/resource-server.ts';
import { html, type Html } from '../html.ts';
import { date } from './parts.ts';
import { consolePage, type Viewer } from './shell.ts';

/** A resource as the console shows it: its real identifier and effective token lifetime. */
export interface ResourceView {
  id: number;
  identifier: string;
  name: string;
  description: string;
  builtIn: boolean;
  scopes: readonly ScopeDefinition[];
  /** Seconds. */
  accessTokenLifetime: number;
  clientId: string;
  createdAt: Date;
}

/** The scope values a developer may ask for, and what each allows. */
export function scopeItem(scope: ScopeDefinition): Html {
  if (scope.kind === 'plain') return html`<li><code>${scope.name}</code> — ${scope.description}</li>`;
  return html`<li><code>${scope.name}</code> · <code>${scope.name}:w</code> · <code>${scope.name}:d</code> — See / Create, Edit / Delete ${scope.noun}</li>`;
}

export const scopeCount = (count: number): string => `${count} scope${count === 1 ? '' : 's'}`;

export const builtInBadge = (resource: Pick<ResourceView, 'builtIn'>): Html => (resource.builtIn ? html` <span class="badge">Built-in</span>` : html``);

export function resourcesPage(o: { viewer: Viewer; resources: readonly ResourceView[]; notice?: string }): string {
  const body = html`<p class="lead">Each resource is an API that access tokens are issued for. Apps ask for a token for one with <code>resource=</code> its identifier; the token's <code>aud</code> is that identifier and it carries only that resource's scopes.</p>
<div class="table-card">
<table class="list">
  <caption class="visually-hidden">Resource servers</caption>
  <thead><tr><th scope="col">Resource</th><th scope="col">Identifier</th><th scope="col">Scopes</th><th scope="col">Token lifetime</th><th scope="col">Registered</th></tr></thead>
  <tbody>
  ${o.resources.map(
    (resource) => html`<tr>
    <th scope="row"><a href="/console/admin/resources/${resource.id}" class="app-link"><span>${resource.name}</span></a>${builtInBadge(resource)}</th>
    <td data-label="Identifier" class="break"><code>${resource.identifier}</code></td>
    <td data-label="Scopes">${scopeCount(resource.scopes.length)}</td>
    <td data-label="Lifetime">${resource.accessTokenLifetime} s</td>
    <td data-label="Registered">${date(resource.createdAt)}</td>
  </tr>`,
  )}
  </tbody>
</table>
</div>`;
  return consolePage({
    viewer: o.viewer,
    section: 'admin-resources',
    title: 'Resources',
    actions: html`<a class="button primary" href="/console/admin/resources/new">Register a resource</a>`,
    notice: o.notice,
    body,
  });
}
