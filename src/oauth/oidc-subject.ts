// The `sub` an app sees in ID tokens, UserInfo and logout tokens (OpenID Connect Core §8). Every
// place that tells an app who the user is asks here, so the app's subject type holds everywhere.
// Access tokens keep the user's id as `sub`: they are for resource servers (ilert's token_info,
// the built-in API), not for the app to read.
import { createHmac, hkdfSync } from 'node:crypto';
import type { App } from '../domain/app.ts';
import type { OAuthContext } from './context.ts';
import { sectorHost } from './oidc-client-settings.ts';

const PAIRWISE_KEY_INFO = 'gatehouse pairwise subject v1';

/** The key pairwise subjects are made with: HKDF of the token key, never the token key itself; derived once per key. */
const pairwiseKeys = new WeakMap<Buffer, Buffer>();
function pairwiseKey(tokenKey: Buffer): Buffer {
  let key = pairwiseKeys.get(tokenKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', tokenKey, Buffer.alloc(0), PAIRWISE_KEY_INFO, 32));
    pairwiseKeys.set(tokenKey, key);
  }
  return key;
}

/**
 * The sector a pairwise app belongs to (Core §8.1): the one host of its redirect URIs
 * (`sectorHost`, the host the settings' rules make a pairwise app keep). An app without one
 * (only the device flow, or a native app's private-use scheme) is its own sector.
 */
export function subjectSector(app: Pick<App, 'redirectUris' | 'clientId'>): string {
  return sectorHost(app.redirectUris) ?? `client:${app.clientId}`;
}

/**
 * The user's subject for this app: the public one (the user's id, as in access tokens), or for a
 * pairwise app an opaque value (43 base64url characters) the same for every app of one sector and
 * different across sectors, so apps on different hosts cannot match their users by `sub`.
 */
export function oidcSubject(app: Pick<App, 'subjectType' | 'redirectUris' | 'clientId'>, userId: number, ctx: Pick<OAuthContext, 'tokenKey'>): string {
  if (app.subjectType !== 'pairwise') return String(userId);
  return createHmac('sha256', pairwiseKey(ctx.tokenKey)).update(`${subjectSector(app)}\n${userId}`, 'utf8').digest('base64url');
}
