// Managing one app: credentials (client id; the secret only right after it was made, as only its
// hash is kept), the endpoint URLs to copy, the icon, the settings, and the way to delete it.
import { OAUTH_PATHS } from '../../oauth/metadata.ts';
import type { App } from '../../domain/app.ts';
import type { AuthorizeExample } from '../../platform/authorize-example.ts';
import { html } from '../html.ts';
import { APP_FIELD_IDS, appSettingsFields, type AppFormValues } from './app-form.ts';
import { appIcon, copyField, date, errorSummary, type FieldErrors } from './parts.ts';
import { resourcesPanel } from './resource-panel.ts';
import { disableCard, disabledBadge } from './app-disable.ts';
import type { ResourceView } from './resources.ts';
import { consolePage, type Viewer } from './shell.ts';
import { DEFAULT_AUTH_METHOD } from './auth-method-fields.ts';

export interface ManageAppOptions {
  viewer: Viewer;
  app: App;
  /** The public URL: the endpoint URLs start with it. */
  issuer: string;
  /** The settings form's values: the app's, or what was just submitted. */
  settings: AppFormValues;
  errors: FieldErrors;
  /** The client secret, right after registration or rotation; never otherwise. */
  secret?: string;
  notice?: string;
  /** A sign-in link that works as it is; none when the app may not use authorization_code. */
  example?: AuthorizeExample;
  /** The resources the app can ask tokens for (the built-in API first). */
  resources: readonly ResourceView[];
}

/** The form field values of an app as stored. */
export function appFormValues(app: App): AppFormValues {
  return {
    name: app.name,
    description: app.description,
    redirectUris: app.redirectUris.join('\n'),
    limitToAccount: app.limitToAccount,
    refreshRotation: app.refreshRotation,
    grantTypes: app.grantTypes,
    defaultResource: app.defaultResourceId === null ? '' : String(app.defaultResourceId),
    authMethod: app.tokenEndpointAuthMethod ?? DEFAULT_AUTH_METHOD,
    jwksUri: app.jwksUri ?? '',
    jwks: app.jwks === null ? '' : JSON.stringify(app.jwks, null, 2),
    serviceScopes: app.serviceScopes,
    postLogoutRedirectUris: app.postLogoutRedirectUris.join('\n'),
    backchannelLogoutUri: app.backchannelLogoutUri ?? '',
    subjectType: app.subjectType,
  };
}

/** The example sign-in link with what it asks for, and the verifier its PKCE challenge was made from. */
function exampleFields(example: AuthorizeExample | undefined) {
  if (!example) return html`<p class="hint">This app may not use <code>authorization_code</code>, so it has no sign-in link.</p>`;
  return html`${copyField({
    id: 'example-link',
    label: 'Example sign-in link',
    value: example.url,
    hint: html`Opens the sign-in and consent pages for this app, then returns to <code>${example.redirectUri}</code> with a code. It asks for <code>${example.scope}</code> and carries a <code>state</code> and a PKCE challenge (<code>S256</code>), which public clients (single-page and native apps, without the secret) must send. <a href="${example.url}">Try it</a>.`,
  })}
  ${copyField({
    id: 'example-verifier',
    label: 'Code verifier for the link',
    value: example.verifier,
    hint: html`Send it as <code>code_verifier</code> with the code to the token URL. An app makes a new random verifier for every sign-in (43 to 128 characters), keeps it to itself, and puts <code>BASE64URL(SHA-256(verifier))</code> in the link as <code>code_challenge</code>.`,
  })}`;
}

export function manageAppPage(o: ManageAppOptions): string {
  const { app, viewer } = o;
  const base = `/console/apps/${app.id}`;
  const clientId = encodeURIComponent(app.clientId);
  const heading = html`<div class="app-heading">
  ${appIcon(app, 'large')}
  <div>
    <h1>${app.name}</h1>
    <p class="muted small">${app.verified ? html`<span class="badge verified">Verified</span>` : html`<span class="badge">Unverified</span>`}${disabledBadge(app)} Created ${date(app.createdAt)}</p>
  </div>
</div>`;

  // An app of none or private_key_jwt has no secret, and nothing to rotate.
  const secretless = app.tokenEndpointAuthMethod === 'none' || app.tokenEndpointAuthMethod === 'private_key_jwt';
  const secret = secretless
    ? html`<div class="field"><p class="label">Client secret</p><p class="hint">None: the app authenticates with <code>${app.tokenEndpointAuthMethod ?? ''}</code>${app.tokenEndpointAuthMethod === 'private_key_jwt' ? ', signing a client assertion with its private key' : ' as a public client, with PKCE'}.</p></div>`
    : o.secret
    ? html`<div class="secret-once">
    ${copyField({ id: 'client-secret', label: 'Client secret', value: o.secret, secret: true, hint: 'Copy it now and keep it safe: Gatehouse stores only a hash of it and cannot show it again.' })}
  </div>`
    : html`<div class="field"><p class="label">Client secret</p><p class="hint">Shown only when it is made: Gatehouse stores only a hash of it. If it is lost or may have leaked, rotate it.</p></div>`;

  // Two columns on wide screens: what a developer copies on the left, what they change on the right.
  const body = html`${errorSummary(o.errors, APP_FIELD_IDS)}
<div class="columns">
<div>
<section class="card" aria-labelledby="credentials-title">
  <h2 id="credentials-title">Credentials</h2>
  ${copyField({ id: 'client-id', label: 'Client ID', value: app.clientId })}
  ${secret}
  ${secretless ? '' : html`<a class="button secondary" href="${base}/secret">${app.clientSecretHash === null ? 'Make a secret…' : 'Rotate secret…'}</a>`}
</section>

<section class="card" aria-labelledby="endpoints-title">
  <h2 id="endpoints-title">Endpoints</h2>
  ${copyField({ id: 'authorize-url', label: 'Authorization endpoint', value: `${o.issuer}${OAUTH_PATHS.authorize}` })}
  ${copyField({ id: 'token-url', label: 'Token URL', value: `${o.issuer}${OAUTH_PATHS.token}?client_id=${clientId}` })}
  ${copyField({ id: 'revoke-url', label: 'Revoke URL', value: `${o.issuer}${OAUTH_PATHS.revoke}` })}
  ${exampleFields(o.example)}
</section>

${resourcesPanel(o.resources)}

<section class="card" aria-labelledby="icon-title">
  <h2 id="icon-title">Icon</h2>
  <div class="icon-row">
    ${appIcon(app, 'large')}
    <p class="hint">${app.iconUpdatedAt ? 'Shown on the consent page and under App connections.' : 'No icon yet: users see the first letter of the name.'}</p>
  </div>
  <form method="post" action="${base}/icon" enctype="multipart/form-data" class="stack">
    <input type="hidden" name="csrf" value="${viewer.csrf}">
    <div class="field${o.errors.icon ? ' has-error' : ''}">
      <label for="${APP_FIELD_IDS.icon ?? ''}">Icon image</label>
      <p class="hint" id="icon-hint">JPEG, PNG or GIF, at most 2 MB. It is cropped to a 500 × 500 square.</p>
      ${o.errors.icon ? html`<p class="field-error" id="icon-error"><span class="visually-hidden">Error: </span>${o.errors.icon}</p>` : ''}
      <input type="file" id="${APP_FIELD_IDS.icon ?? ''}" name="icon" accept="image/png,image/jpeg,image/gif" required aria-describedby="icon-hint${o.errors.icon ? ' icon-error' : ''}"${
        o.errors.icon ? html` aria-invalid="true"` : ''
      }>
    </div>
    <div class="form-actions">
      <button type="submit" class="secondary">Upload icon</button>
    </div>
  </form>
  ${
    app.iconUpdatedAt
      ? html`<form method="post" action="${base}/icon/remove" class="inline-form">
    <input type="hidden" name="csrf" value="${viewer.csrf}">
    <button type="submit" class="secondary">Remove icon</button>
  </form>`
      : ''
  }
</section>

</div>
<div>
<section class="card" aria-labelledby="settings-title">
  <h2 id="settings-title">Settings</h2>
  <form method="post" action="${base}" class="stack" novalidate>
    <input type="hidden" name="csrf" value="${viewer.csrf}">
    <div class="field"><p class="label">Name</p><p>${app.name} <span class="hint">(cannot be changed)</span></p></div>
    ${appSettingsFields(o.settings, o.errors, viewer.tenantName, o.resources)}
    <div class="form-actions">
      <button type="submit" class="primary">Save settings</button>
    </div>
  </form>
</section>

${disableCard(app, viewer)}

<section class="card danger" aria-labelledby="delete-title">
  <h2 id="delete-title">Delete app</h2>
  <p>Deleting the app revokes every token it holds; users' connections to it end at once.</p>
  <a class="button danger" href="${base}/delete">Delete app…</a>
</section>
</div>
</div>`;
  return consolePage({
    viewer,
    section: 'apps',
    title: app.name,
    heading,
    back: { href: '/console/apps', label: 'Developer apps' },
    notice: o.notice,
    body,
  });
}
