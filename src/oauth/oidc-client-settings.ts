// An app's OpenID Connect settings and their rules, the one place every way of setting them checks
// (console and CLI through platform/apps.ts, dynamic registration, client ID metadata documents):
// post-logout redirect URIs and the back-channel logout URI are https (http only on localhost or a
// loopback address), without fragments; a pairwise subject needs every redirect URI on one host,
// since that host keys the pairwise `sub` (OpenID Connect Core §8.1).
import { SUBJECT_TYPES, type App, type SubjectType } from '../domain/app.ts';
import { webUrlProblem } from './redirect-uri.ts';

export const MAX_POST_LOGOUT_REDIRECT_URIS = 10;

export type OidcClientSettings = Pick<App, 'postLogoutRedirectUris' | 'backchannelLogoutUri' | 'subjectType'>;

/** One broken rule; `field` is the setting at fault (a form field, an error's subject). */
export interface OidcSettingProblem {
  message: string;
  field: keyof OidcClientSettings | 'redirectUris';
}

/** How messages name each setting: the console's words, or RFC 7591 / OpenID metadata names. */
export type SettingLabels = Record<OidcSettingProblem['field'], string>;

export const CONSOLE_LABELS: SettingLabels = {
  postLogoutRedirectUris: 'Post-logout redirect URL',
  backchannelLogoutUri: 'The back-channel logout URL',
  subjectType: 'The subject type',
  redirectUris: 'redirect URLs',
};

export const METADATA_LABELS: SettingLabels = {
  postLogoutRedirectUris: 'post_logout_redirect_uris:',
  backchannelLogoutUri: 'backchannel_logout_uri',
  subjectType: 'subject_type',
  redirectUris: 'redirect_uris',
};

/** The host that keys an app's pairwise subjects, when all its redirect URIs share one; else undefined. */
export function sectorHost(redirectUris: readonly string[]): string | undefined {
  const hosts = new Set(redirectUris.map(hostOf));
  const [only] = hosts;
  return hosts.size === 1 && only ? only : undefined;
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).hostname;
  } catch {
    return '';
  }
}

/**
 * Everything wrong with the settings given (absent ones are not checked), for an app with these
 * redirect URIs. The subject type is checked against the redirect URIs whenever either changes, so
 * pass the app's current subject type along with new redirect URIs.
 */
export function oidcSettingsProblems(settings: Partial<OidcClientSettings>, redirectUris: readonly string[], labels: SettingLabels = CONSOLE_LABELS): OidcSettingProblem[] {
  const problems: OidcSettingProblem[] = [];
  const uris = settings.postLogoutRedirectUris ?? [];
  if (uris.length > MAX_POST_LOGOUT_REDIRECT_URIS) {
    problems.push({ message: `At most ${MAX_POST_LOGOUT_REDIRECT_URIS} post-logout redirect URLs are allowed`, field: 'postLogoutRedirectUris' });
  }
  for (const uri of uris.slice(0, MAX_POST_LOGOUT_REDIRECT_URIS)) {
    const problem = webUrlProblem(uri);
    if (problem) problems.push({ message: `${labels.postLogoutRedirectUris} ${JSON.stringify(uri.slice(0, 200))} ${problem}`, field: 'postLogoutRedirectUris' });
  }
  const backchannel = settings.backchannelLogoutUri;
  const backchannelProblem = backchannel === undefined || backchannel === null ? undefined : webUrlProblem(backchannel);
  if (backchannelProblem) problems.push({ message: `${labels.backchannelLogoutUri} ${backchannelProblem}`, field: 'backchannelLogoutUri' });
  const subjectType = settings.subjectType;
  if (subjectType !== undefined && !SUBJECT_TYPES.includes(subjectType)) {
    problems.push({ message: `${labels.subjectType} must be one of ${SUBJECT_TYPES.join(', ')}`, field: 'subjectType' });
  } else if (subjectType === 'pairwise' && sectorHost(redirectUris) === undefined) {
    const hosts = [...new Set(redirectUris.map(hostOf))].map((host) => host || '(none)');
    problems.push({
      message: `A pairwise subject is keyed by the host of the ${labels.redirectUris}, so they must all be on one host${hosts.length > 0 ? ` (they are on ${hosts.join(', ')})` : ''}; use the public subject type, or one host`,
      field: 'subjectType',
    });
  }
  return problems;
}

/** Whether a value is a subject type. */
export const isSubjectType = (value: unknown): value is SubjectType => (SUBJECT_TYPES as readonly unknown[]).includes(value);
