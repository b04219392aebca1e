// The app form's "OpenID Connect" part: where logout may send the browser back to, where
// back-channel logout tokens go, and the subject type. Any app may ask for `openid` without these;
// they only matter to apps that sign users in and out.
import { html, type Html } from '../html.ts';
import { radios, textArea, textField, type FieldErrors } from './parts.ts';

/** Element ids by field name (RegistrationError.field names the field). */
export const OIDC_FIELD_IDS: Record<string, string> = {
  postLogoutRedirectUris: 'app-post-logout-uris',
  backchannelLogoutUri: 'app-backchannel-uri',
  subjectType: 'app-subject-type',
};

export interface OidcFormValues {
  /** One URL per line. */
  postLogoutRedirectUris?: string;
  backchannelLogoutUri?: string;
  /** public or pairwise; undefined or '': the form did not carry it (the settings stay as they are). */
  subjectType?: string;
}

const SUBJECT_OPTIONS = [
  { value: 'public', label: 'Public (default)', hint: 'The sub of ID tokens and UserInfo is the user\'s id, the same in every app.' },
  { value: 'pairwise', label: 'Pairwise', hint: 'Each user gets a sub of this app\'s own, so apps cannot match their users by it. Every redirect URL must be on one host: that host keys the sub.' },
] as const;

export function oidcFields(values: OidcFormValues, errors: FieldErrors): Html {
  return html`<fieldset>
  <legend>OpenID Connect</legend>
  <p class="hint">Optional: for apps that sign users in with <code>openid</code> and sign them out again.</p>
  ${textArea({
    id: OIDC_FIELD_IDS.postLogoutRedirectUris ?? '',
    name: 'post_logout_redirect_uris',
    label: 'Post-logout redirect URLs',
    hint: html`Where signing out at <code>/oauth2/logout</code> may send the browser back to, one per line, up to 10. The logout request's <code>post_logout_redirect_uri</code> must equal one of them exactly. Use <code>https</code>, or <code>http</code> on localhost.`,
    value: values.postLogoutRedirectUris ?? '',
    error: errors.postLogoutRedirectUris,
    rows: 2,
    attrs: html` spellcheck="false" autocapitalize="none"`,
  })}
  ${textField({
    id: OIDC_FIELD_IDS.backchannelLogoutUri ?? '',
    name: 'backchannel_logout_uri',
    label: 'Back-channel logout URL',
    hint: html`Where Gatehouse POSTs a logout token when a session the app shared ends. Use <code>https</code>, or <code>http</code> on localhost; leave empty for none.`,
    value: values.backchannelLogoutUri ?? '',
    error: errors.backchannelLogoutUri,
    autocomplete: 'off',
    attrs: html` spellcheck="false" autocapitalize="none" maxlength="2000"`,
  })}
  ${radios({
    id: OIDC_FIELD_IDS.subjectType ?? '',
    name: 'subject_type',
    legend: 'Subject type',
    value: values.subjectType || 'public',
    options: SUBJECT_OPTIONS,
    error: errors.subjectType,
  })}
</fieldset>`;
}
