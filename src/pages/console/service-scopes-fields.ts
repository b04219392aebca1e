// The app form's service scopes: what client_credentials may ask of each resource, as checkboxes
// beside the grant types. A family is a row with a box per level (See; Create, edit; Delete), a
// plain scope a row with one box. A box shows ticked when the saved scopes cover it, as at authorize (`source:w`
// covers `source`), so saving what is shown keeps what was saved.
import type { ResourceScope } from '../../domain/resource-server.ts';
import { ScopeCatalog, ScopeSet } from '../../oauth/scopes.ts';
import { html, type Html } from '../html.ts';
import type { ResourceView } from './resources.ts';

export const SERVICE_SCOPES_FIELD_ID = 'app-service-scopes';
/** The hidden field that says the form carries service scopes (unticked boxes send nothing). */
export const SERVICE_SCOPES_SHOWN = 'service_scopes';
/** The checkboxes' field name for one resource: repeated, one value per ticked scope. */
export const serviceScopeField = (resourceId: number): string => `service_scope_${resourceId}`;

const LEVELS = [
  { suffix: '', label: 'See' },
  { suffix: ':w', label: 'Create, edit' },
  { suffix: ':d', label: 'Delete' },
] as const;

/** One box; its label (read out, not shown: the column header shows it) names the level and the thing. */
function box(resource: ResourceView, scope: string, label: string, held: ScopeSet, catalog: ScopeCatalog): Html {
  const id = `service-${resource.id}-${scope.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const checked = ScopeSet.fromStored(scope, catalog).isSubsetOf(held);
  return html`<input type="checkbox" id="${id}" name="${serviceScopeField(resource.id)}" value="${scope}"${checked ? html` checked` : ''}><label for="${id}" class="visually-hidden">${label} (${scope})</label>`;
}

/** A resource's scopes as a table: a row per family with a box per level, a row per plain scope. */
function resourceScopes(resource: ResourceView, saved: readonly ResourceScope[]): Html {
  const catalog = new ScopeCatalog(resource.scopes);
  const held = ScopeSet.fromStored(saved.find((part) => part.resourceId === resource.id)?.scope ?? '', catalog);
  const rows = resource.scopes.map((scope) =>
    scope.kind === 'family'
      ? html`<tr><th scope="row">${scope.noun} <code class="small">${scope.name}</code></th>${LEVELS.map((level) => html`<td>${box(resource, `${scope.name}${level.suffix}`, `${level.label} ${scope.noun}`, held, catalog)}</td>`)}</tr>`
      : html`<tr><th scope="row">${scope.description} <code class="small">${scope.name}</code></th><td colspan="3">${box(resource, scope.name, scope.description, held, catalog)}</td></tr>`,
  );
  return html`<details class="resource"${held.isEmpty ? '' : html` open`}>
    <summary><strong>${resource.name}</strong> <span class="muted small">${held.isEmpty ? 'none' : held.toString()}</span></summary>
    <table class="service-scopes">
      <thead><tr><th scope="col"><span class="visually-hidden">Scope</span></th>${LEVELS.map((level) => html`<th scope="col">${level.label}</th>`)}</tr></thead>
      <tbody>${rows}</tbody>
    </table>
  </details>`;
}

export function serviceScopesFields(resources: readonly ResourceView[], saved: readonly ResourceScope[], error: string | undefined): Html {
  return html`<fieldset class="field${error ? ' has-error' : ''}" id="${SERVICE_SCOPES_FIELD_ID}" aria-describedby="${SERVICE_SCOPES_FIELD_ID}-hint${error ? ` ${SERVICE_SCOPES_FIELD_ID}-error` : ''}">
  <legend>Service scopes (client_credentials)</legend>
  <p class="hint" id="${SERVICE_SCOPES_FIELD_ID}-hint">What the app may ask for itself, with no user, by the <code>client_credentials</code> grant: per resource, at most these. Its tokens act for this account. A request without <code>scope</code> gets all of them; narrowing them ends the tokens the app holds for that resource.</p>
  ${error ? html`<p class="field-error" id="${SERVICE_SCOPES_FIELD_ID}-error"><span class="visually-hidden">Error: </span>${error}</p>` : ''}
  <input type="hidden" name="${SERVICE_SCOPES_SHOWN}" value="1">
  ${resources.map((resource) => resourceScopes(resource, saved))}
</fieldset>`;
}
