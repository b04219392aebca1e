// One resource server for platform admins: its identifier and credentials (the secret only right
// after it was made: only its hash is kept), its settings, and the way to delete it.
import { html } from '../html.ts';
import { copyField, date, errorSummary, type FieldErrors } from './parts.ts';
import { RESOURCE_FIELD_IDS, resourceSettingsFields, type ResourceFormValues } from './resource-form.ts';
import { builtInBadge, type ResourceView } from './resources.ts';
import { scopeLines } from './scope-lines.ts';
import { consolePage, type Viewer } from './shell.ts';

export interface ManageResourceOptions {
  viewer: Viewer;
  resource: ResourceView;
  /** The settings form's values: the resource's, or what was just submitted. */
  values: ResourceFormValues;
  errors: FieldErrors;
  /** The client secret, right after registration or rotation; never otherwise. */
  secret?: string;
  notice?: string;
}

/** The form field values of a resource as stored. */
export function resourceFormValues(resource: ResourceView): ResourceFormValues {
  return { identifier: resource.identifier, name: resource.name, description: resource.description, scopes: scopeLines(resource.scopes), tokenLifetime: String(resource.accessTokenLifetime) };
}

export function manageResourcePage(o: ManageResourceOptions): string {
  const { resource, viewer } = o;
  const base = `/console/admin/resources/${resource.id}`;
  const heading = html`<div>
  <h1>${resource.name}${builtInBadge(resource)}</h1>
  <p class="muted small">Registered ${date(resource.createdAt)}</p>
</div>`;
  const secret = o.secret
    ? html`<div class="secret-once">
    ${copyField({ id: 'client-secret', label: 'Client secret', value: o.secret, secret: true, hint: 'Copy it now and keep it safe: Gatehouse stores only a hash of it and cannot show it again.' })}
  </div>`
    : html`<div class="field"><p class="label">Client secret</p><p class="hint">Shown only when it is made: Gatehouse stores only a hash of it. If it is lost or may have leaked, rotate it.</p></div>`;

  const body = html`${errorSummary(o.errors, RESOURCE_FIELD_IDS)}
<div class="columns">
<div>
<section class="card" aria-labelledby="identity-title">
  <h2 id="identity-title">Identifier and credentials</h2>
  ${copyField({ id: 'resource-identifier-value', label: 'Identifier', value: resource.identifier, hint: html`Apps send it as <code>resource</code>; its tokens carry it as <code>aud</code>. It cannot change.` })}
  ${copyField({ id: 'client-id', label: 'Client ID', value: resource.clientId, hint: html`With the secret, the API introspects its own tokens (<code>POST /oauth2/introspect</code>, HTTP Basic).` })}
  ${secret}
  <a class="button secondary" href="${base}/secret">Rotate secret…</a>
</section>
</div>
<div>
<section class="card" aria-labelledby="settings-title">
  <h2 id="settings-title">Settings</h2>
  <form method="post" action="${base}" class="stack" novalidate>
    <input type="hidden" name="csrf" value="${viewer.csrf}">
    ${resourceSettingsFields(o.values, o.errors, resource.builtIn ? resource : undefined)}
    <div class="form-actions"><button type="submit" class="primary">Save settings</button></div>
  </form>
</section>
${
  resource.builtIn
    ? html`<p class="hint">The built-in API cannot be deleted.</p>`
    : html`<section class="card danger" aria-labelledby="delete-title">
  <h2 id="delete-title">Delete resource</h2>
  <p>Every token for it stops working at once, and every authorization that includes it ends.</p>
  <a class="button danger" href="${base}/delete">Delete resource…</a>
</section>`
}
</div>
</div>`;
  return consolePage({ viewer, section: 'admin-resources', title: resource.name, heading, back: { href: '/console/admin/resources', label: 'Resources' }, notice: o.notice, body });
}
