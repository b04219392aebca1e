// For developers registering or changing an app: which resources (APIs) it can ask tokens for, with
// the `resource=` and `scope=` values to send, and the choice of the one a request naming none is for.
import { html, type Html } from '../html.ts';
import { select } from './parts.ts';
import { builtInBadge, scopeCount, scopeItem, type ResourceView } from './resources.ts';

export const DEFAULT_RESOURCE_FIELD_ID = 'app-default-resource';

/** A read-only list: each resource's name, identifier and scopes, folded so the built-in API's twenty do not crowd the page. */
export function resourcesPanel(resources: readonly ResourceView[]): Html {
  return html`<section class="card" aria-labelledby="resources-title">
  <h2 id="resources-title">Resources your app can ask for</h2>
  <p class="hint">Send <code>resource=</code> a resource's identifier to the authorization and token endpoints to get a token for that API, and ask for its scopes in <code>scope=</code>. A request without <code>resource</code> is for the app's default resource.</p>
  ${resources.map(
    (resource) => html`<details class="resource">
    <summary><strong>${resource.name}</strong>${builtInBadge(resource)} <span class="muted small">${scopeCount(resource.scopes.length)}</span></summary>
    <p class="break">Identifier: <code>${resource.identifier}</code></p>
    ${resource.description ? html`<p class="hint">${resource.description}</p>` : ''}
    <ul class="resource-scopes">${resource.scopes.map(scopeItem)}</ul>
  </details>`,
  )}
</section>`;
}

/** The app's default resource: the built-in API (value '') or one of the others (its id). */
export function defaultResourceSelect(resources: readonly ResourceView[], value: string, error: string | undefined): Html {
  const others = resources.filter((resource) => !resource.builtIn).map((resource) => ({ value: String(resource.id), label: `${resource.name} (${resource.identifier})` }));
  const options = [{ value: '', label: 'Gatehouse API (built-in)' }, ...others];
  return select({
    id: DEFAULT_RESOURCE_FIELD_ID,
    name: 'default_resource',
    label: 'Default resource',
    hint: html`What a token request that names no <code>resource</code> is for.`,
    value,
    error,
    options,
  });
}
