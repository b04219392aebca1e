// Registering a resource server: its identifier (fixed once registered), name, description, scopes
// as lines of text, and token lifetime. The settings part is shared with the resource's own page.
import { html, type Html } from '../html.ts';
import { errorSummary, textArea, textField, type FieldErrors } from './parts.ts';
import { scopeItem, type ResourceView } from './resources.ts';
import { SCOPE_LINE_EXAMPLE } from './scope-lines.ts';
import { consolePage, type Viewer } from './shell.ts';

/** The form's values as typed, kept when a submission is refused. */
export interface ResourceFormValues {
  identifier: string;
  name: string;
  description: string;
  /** One scope a line (scope-lines.ts). */
  scopes: string;
  /** Seconds, as typed; blank: the default. */
  tokenLifetime: string;
}

/** Element ids by field name (a Problem's field names the field). */
export const RESOURCE_FIELD_IDS: Record<string, string> = {
  identifier: 'resource-identifier',
  name: 'resource-name',
  description: 'resource-description',
  scopes: 'resource-scopes',
  accessTokenLifetime: 'resource-lifetime',
};

export const EMPTY_RESOURCE_FORM: ResourceFormValues = { identifier: '', name: '', description: '', scopes: '', tokenLifetime: '' };

const SCOPES_HINT = html`One a line. <code>family NAME = NOUN</code> makes <code>NAME</code> (see), <code>NAME:w</code> (also create and edit) and <code>NAME:d</code> (also delete); the consent page reads “See, Create, Edit NOUN”. <code>scope NAME = DESCRIPTION</code> is one exact scope; the consent page shows the description. For example:<br><code>family notes = Notes</code><br><code>scope notes.export = Export all your notes</code>`;

/** Name, description, scopes and lifetime: what can change after registration (of the built-in API, name and description). */
export function resourceSettingsFields(values: ResourceFormValues, errors: FieldErrors, builtIn?: Pick<ResourceView, 'scopes' | 'accessTokenLifetime'>): Html {
  const fixed = builtIn
    ? html`<div class="field"><p class="label">Scopes</p><p class="hint">ilert's scope families; they cannot change.</p><ul class="resource-scopes">${builtIn.scopes.map(scopeItem)}</ul></div>
  <div class="field"><p class="label">Token lifetime</p><p>${builtIn.accessTokenLifetime} seconds <span class="hint">(the server's access-token lifetime; cannot be changed here)</span></p></div>`
    : html`${textArea({ id: RESOURCE_FIELD_IDS.scopes ?? '', name: 'scopes', label: 'Scopes', hint: SCOPES_HINT, value: values.scopes, error: errors.scopes, required: true, rows: 6, attrs: html` spellcheck="false" autocapitalize="none" placeholder="${SCOPE_LINE_EXAMPLE}"` })}
  ${textField({ id: RESOURCE_FIELD_IDS.accessTokenLifetime ?? '', name: 'token_lifetime', label: 'Token lifetime (seconds)', hint: '60 to 86400. Blank: 3600 (an hour).', value: values.tokenLifetime, error: errors.accessTokenLifetime, autocomplete: 'off', attrs: html` inputmode="numeric"` })}`;
  return html`${textField({ id: RESOURCE_FIELD_IDS.name ?? '', name: 'name', label: 'Name', hint: 'The consent page and the console call the API this.', value: values.name, error: errors.name, required: true, autocomplete: 'off', attrs: html` maxlength="100"` })}
  ${textArea({ id: RESOURCE_FIELD_IDS.description ?? '', name: 'description', label: 'Description (optional)', value: values.description, error: errors.description, rows: 2, attrs: html` maxlength="2000"` })}
  ${fixed}`;
}

export function createResourcePage(o: { viewer: Viewer; values: ResourceFormValues; errors: FieldErrors }): string {
  const body = html`${errorSummary(o.errors, RESOURCE_FIELD_IDS)}
<section class="card">
  <form method="post" action="/console/admin/resources" class="stack" novalidate>
    <input type="hidden" name="csrf" value="${o.viewer.csrf}">
    ${textField({
      id: RESOURCE_FIELD_IDS.identifier ?? '',
      name: 'identifier',
      label: 'Identifier',
      hint: html`The <code>resource</code> value apps send and the <code>aud</code> of its tokens: an absolute URI without fragment or query, usually the API's base URL, e.g. <code>https://notes.example.com/api</code>. It cannot be changed later.`,
      value: o.values.identifier,
      error: o.errors.identifier,
      required: true,
      autocomplete: 'off',
      attrs: html` spellcheck="false" autocapitalize="none"`,
    })}
    ${resourceSettingsFields(o.values, o.errors)}
    <div class="form-actions">
      <button type="submit" class="primary">Register resource</button>
      <a href="/console/admin/resources" class="button secondary">Cancel</a>
    </div>
  </form>
</section>`;
  return consolePage({ viewer: o.viewer, section: 'admin-resources', title: 'Register a resource', back: { href: '/console/admin/resources', label: 'Resources' }, body, width: 'medium' });
}
