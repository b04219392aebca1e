// The app form's OpenID Connect fields read into the core's settings: URL lines, an empty
// back-channel URL as none. A form without `subject_type` (an older form, a script) leaves all
// three as they are.
import type { OidcClientSettings } from '../../oauth/oidc-client-settings.ts';
import { isSubjectType } from '../../oauth/oidc-client-settings.ts';
import type { Problem } from '../../platform/apps.ts';
import type { OidcFormValues } from '../../pages/console/oidc-fields.ts';

export const OIDC_FORM_FIELDS = {
  post_logout_redirect_uris: 'OpenID Connect: where logout may send the browser back to, one URL per line',
  backchannel_logout_uri: 'OpenID Connect: where back-channel logout tokens are POSTed; blank: none',
  subject_type: 'OpenID Connect: public or pairwise; absent: the three OpenID Connect settings stay as they are',
};

/** The form's values as typed. */
export function oidcFormValues(values: Record<keyof typeof OIDC_FORM_FIELDS, string>): OidcFormValues {
  return {
    postLogoutRedirectUris: values.post_logout_redirect_uris.replace(/\r\n/g, '\n'),
    backchannelLogoutUri: values.backchannel_logout_uri.trim(),
    subjectType: values.subject_type,
  };
}

/** A text area's URL lines (redirect URLs too), trimmed, blank lines dropped. */
export const urlLines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** The settings the fields name, or the problem found reading them. */
export function oidcFromForm(values: OidcFormValues): { settings: Partial<OidcClientSettings>; problems: Problem[] } {
  const subjectType = values.subjectType ?? '';
  if (subjectType === '') return { settings: {}, problems: [] };
  if (!isSubjectType(subjectType)) return { settings: {}, problems: [{ message: 'Choose one of the subject types', field: 'subjectType' }] };
  return {
    settings: {
      postLogoutRedirectUris: urlLines(values.postLogoutRedirectUris ?? ''),
      backchannelLogoutUri: values.backchannelLogoutUri ? values.backchannelLogoutUri : null,
      subjectType,
    },
    problems: [],
  };
}
