// The `sub` an app sees in ID tokens, UserInfo and logout tokens (OpenID Connect Core §8). Every
// place that tells an app who the user is asks here, so the app's subject type holds everywhere.
import type { App } from '../domain/app.ts';
import type { OAuthContext } from './context.ts';

/** The user's subject for this app: the public one (the user's id, as in access tokens). */
export function oidcSubject(app: Pick<App, 'subjectType' | 'redirectUris'>, userId: number, _ctx: Pick<OAuthContext, 'tokenKey'>): string {
  return String(userId);
}
