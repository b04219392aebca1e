// Registering an app: its unique name, what it does, who may use it, where it may send users back
// to, how its refresh tokens rotate, which grant types it may use, and its default resource (beside
// the list of resources it can ask for), how it authenticates and its OpenID Connect settings.
// The settings part is shared with the manage page.
import { html, type Html } from '../html.ts';
import { DEFAULT_GRANT_TYPES } from '../../domain/app.ts';
import { GRANTS } from '../../oauth/grants/index.ts';
import { checkbox, checkboxes, errorSummary, radios, textArea, textField, type FieldErrors } from './parts.ts';
import { DEFAULT_RESOURCE_FIELD_ID, defaultResourceSelect, resourcesPanel } from './resource-panel.ts';
import type { ResourceView } from './resources.ts';
import type { ResourceScope } from '../../domain/resource-server.ts';
import { SERVICE_SCOPES_FIELD_ID, serviceScopesFields } from './service-scopes-fields.ts';
import { consolePage, type Viewer } from './shell.ts';
import { AUTH_METHOD_FIELD_IDS, authMethodFields, type AuthMethodFormValues } from './auth-method-fields.ts';
import { OIDC_FIELD_IDS, oidcFields, type OidcFormValues } from './oidc-fields.ts';

/** The form's values as typed, kept when a submission is refused. */
export interface AppFormValues extends AuthMethodFormValues, OidcFormValues {
  name: string;
  description: string;
  /** One URL per line. */
  redirectUris: string;
  limitToAccount: boolean;
  refreshRotation: string;
  grantTypes: readonly string[];
  /** The default resource's id, '' for the built-in API. */
  defaultResource: string;
  /** What client_credentials may ask, per resource, as saved or as ticked; undefined: the form did not carry them (kept as they are). */
  serviceScopes?: readonly ResourceScope[];
}

/** Element ids by field name (RegistrationError.field names the field). */
export const APP_FIELD_IDS: Record<string, string> = {
  name: 'app-name',
  description: 'app-description',
  redirectUris: 'app-redirect-uris',
  limitToAccount: 'app-limit',
  refreshRotation: 'app-rotation',
  grantTypes: 'app-grant-types',
  defaultResourceId: DEFAULT_RESOURCE_FIELD_ID,
  serviceScopes: SERVICE_SCOPES_FIELD_ID,
  icon: 'app-icon-file',
  ...AUTH_METHOD_FIELD_IDS,
  ...OIDC_FIELD_IDS,
};

export const EMPTY_APP_FORM: AppFormValues = { name: '', description: '', redirectUris: '', limitToAccount: false, refreshRotation: 'public', grantTypes: DEFAULT_GRANT_TYPES, defaultResource: '' };

/** The form field of each grant type's checkbox. */
export const grantField = (type: string): string => `grant_${type}`;

const ROTATION_OPTIONS = [
  {
    value: 'public',
    label: 'For public clients (recommended)',
    hint: 'A refresh without the client secret returns a new refresh token and spends the old one; apps that send their secret keep theirs.',
  },
  { value: 'always', label: 'Always', hint: 'Every refresh returns a new refresh token.' },
  { value: 'never', label: 'Never', hint: "The same refresh token comes back on every refresh, as on ilert. Choose this only for apps that re-send their first refresh token." },
] as const;

/** Description, redirect URLs, account limit, rotation, grant types, default resource, authentication and OpenID Connect: what can change after registration. */
export function appSettingsFields(values: AppFormValues, errors: FieldErrors, tenantName: string, resources: readonly ResourceView[]): Html {
  return html`${textArea({
    id: APP_FIELD_IDS.description ?? '',
    name: 'description',
    label: 'What is your app doing?',
    hint: 'Users read this when the app asks for access to their account.',
    value: values.description,
    error: errors.description,
    rows: 3,
    attrs: html` maxlength="2000"`,
  })}
  ${textArea({
    id: APP_FIELD_IDS.redirectUris ?? '',
    name: 'redirect_uris',
    label: 'Redirect URLs',
    hint: html`One per line, up to 20. Use <code>https</code>, or <code>http</code> on localhost or a loopback address; a native app may use a reverse-domain scheme such as <code>com.example.app:/callback</code>. The authorization request must name one of them exactly.`,
    value: values.redirectUris,
    error: errors.redirectUris,
    required: true,
    rows: 3,
    attrs: html` spellcheck="false" autocapitalize="none"`,
  })}
  ${checkbox({
    id: APP_FIELD_IDS.limitToAccount ?? '',
    name: 'limit_to_account',
    label: 'Limit to this account',
    hint: `Only users of ${tenantName} can authorize the app.`,
    checked: values.limitToAccount,
    error: errors.limitToAccount,
  })}
  ${radios({
    id: APP_FIELD_IDS.refreshRotation ?? '',
    name: 'refresh_rotation',
    legend: 'Refresh-token rotation',
    value: values.refreshRotation,
    options: ROTATION_OPTIONS,
    error: errors.refreshRotation,
  })}
  ${checkboxes({
    id: APP_FIELD_IDS.grantTypes ?? '',
    legend: 'Grant types',
    hint: 'What the app may use at the token endpoint; at least one. With none ticked it keeps the ones it has.',
    options: GRANTS.map((grant) => ({ name: grantField(grant.type), label: grant.type, hint: grant.title, checked: values.grantTypes.includes(grant.type) })),
    error: errors.grantTypes,
  })}
  ${serviceScopesFields(resources, values.serviceScopes ?? [], errors.serviceScopes)}
  ${defaultResourceSelect(resources, values.defaultResource, errors.defaultResourceId)}
  ${authMethodFields(values, errors)}
  ${oidcFields(values, errors)}`;
}

export function createAppPage(o: { viewer: Viewer; values: AppFormValues; errors: FieldErrors; resources: readonly ResourceView[] }): string {
  const body = html`${errorSummary(o.errors, APP_FIELD_IDS)}
<section class="card">
  <form method="post" action="/console/apps" class="stack" novalidate>
    <input type="hidden" name="csrf" value="${o.viewer.csrf}">
    ${textField({
      id: APP_FIELD_IDS.name ?? '',
      name: 'name',
      label: 'Name',
      hint: 'Users see it on the consent page. Names are unique, and cannot be changed later.',
      value: o.values.name,
      error: o.errors.name,
      required: true,
      autocomplete: 'off',
      attrs: html` maxlength="100"`,
    })}
    ${appSettingsFields(o.values, o.errors, o.viewer.tenantName, o.resources)}
    <div class="form-actions">
      <button type="submit" class="primary">Create app</button>
      <a href="/console/apps" class="button secondary">Cancel</a>
    </div>
  </form>
</section>
${resourcesPanel(o.resources)}`;
  return consolePage({ viewer: o.viewer, section: 'apps', title: 'Create an app', back: { href: '/console/apps', label: 'Developer apps' }, body, width: 'medium' });
}
