// `--post-logout-redirect-uri`, `--backchannel-logout-uri` and `--subject-type` of `gatehouse apps
// create|update`: an app's OpenID Connect settings. The rules are the core's
// (oauth/oidc-client-settings.ts, checked by platform/apps.ts); this only reads the arguments.
import { Option, type Command } from 'commander';
import { SUBJECT_TYPES, type SubjectType } from '../domain/app.ts';
import type { OidcClientSettings } from '../oauth/oidc-client-settings.ts';
import { fail, type OutputOptions } from './output.ts';

export interface OidcFlags extends OutputOptions {
  postLogoutRedirectUri?: string[];
  clearPostLogoutRedirectUris?: boolean;
  /** A URL, or false for --no-backchannel-logout-uri. */
  backchannelLogoutUri?: string | false;
  subjectType?: string;
}

/** The option names `apps update` treats as settings changes. */
export const OIDC_FLAGS = ['postLogoutRedirectUri', 'clearPostLogoutRedirectUris', 'backchannelLogoutUri', 'subjectType'] as const;

const collect = (v: string, all: string[] = []) => [...all, v];

/** Adds the options to `apps create` (`update`: each replaces the app's, and both lists can be cleared). */
export function withOidcOptions(command: Command, update = false): Command {
  command
    .option('--post-logout-redirect-uri <url>', `OpenID Connect: where logout may send the browser back to (repeat for several${update ? ', replacing all' : ''}; https, or http on localhost)`, collect)
    .option('--backchannel-logout-uri <url>', 'OpenID Connect: where back-channel logout tokens are POSTed (https, or http on localhost)')
    .addOption(new Option('--subject-type <type>', 'OpenID Connect: the sub its ID tokens carry: public (the user id) or pairwise (its own per user; every redirect URL on one host)').choices(SUBJECT_TYPES));
  if (update) {
    command.option('--clear-post-logout-redirect-uris', 'logout sends the browser back to the app no more').option('--no-backchannel-logout-uri', 'send the app no back-channel logout tokens');
  }
  return command;
}

/** The settings the flags name (absent ones undefined). */
export function oidcArgs(o: OidcFlags): Partial<OidcClientSettings> {
  if (o.postLogoutRedirectUri && o.clearPostLogoutRedirectUris) fail('choose --post-logout-redirect-uri or --clear-post-logout-redirect-uris, not both', o);
  const settings: Partial<OidcClientSettings> = {};
  if (o.clearPostLogoutRedirectUris) settings.postLogoutRedirectUris = [];
  if (o.postLogoutRedirectUri !== undefined) settings.postLogoutRedirectUris = o.postLogoutRedirectUri;
  if (o.backchannelLogoutUri !== undefined) settings.backchannelLogoutUri = o.backchannelLogoutUri === false ? null : o.backchannelLogoutUri;
  if (o.subjectType !== undefined) settings.subjectType = o.subjectType as SubjectType;
  return settings;
}
