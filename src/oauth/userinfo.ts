// OpenID Connect UserInfo (Core §5.3): the claims of the user behind an access token for the
// built-in API whose scope includes `openid`, chosen by its scopes (Core §5.4).
import type { OAuthContext } from './context.ts';
import { OAuthError } from './errors.ts';
import { OPENID } from './oidc-scopes.ts';
import { oidcSubject } from './oidc-subject.ts';
import { ScopeSet } from './scopes.ts';
import { activeAccessToken } from './token-info.ts';
import { EMAIL_CLAIMS, PHONE_CLAIMS, PROFILE_CLAIMS, USER_CLAIMS, userClaims, type UserClaims } from './user-claims.ts';

/** UserInfo's answer: the subject, the user's account, and the claims the scopes and the `claims` parameter select. */
export interface UserInfo extends Omit<UserClaims, 'tenant'> {
  sub: string;
  /** The user's account, as access tokens name it. */
  tenant: string;
}

/** Every claim this server may return, for discovery's `claims_supported`. */
export const USERINFO_CLAIMS = ['sub', ...USER_CLAIMS] as const;

/** RFC 6750 §3.1's error, carried as an OAuthError: invalid_token is 401, insufficient_scope 403. */
export class UserInfoError extends OAuthError {
  constructor(
    readonly bearerError: 'invalid_token' | 'insufficient_scope' | 'invalid_request' | undefined,
    description: string,
  ) {
    // No token at all is a 401 without an error code in the challenge (RFC 6750 §3.1); its body still names one.
    super(bearerError ?? 'invalid_token', description);
  }
}

const words = (scope: string) => new Set(scope.split(' '));

/** The claims a token's scopes select (Core §5.4): ilert's profile family at any level (a wildcard is API access, not a request for claims), email, phone. */
function scopedClaims(scope: string): string[] {
  const plain = words(scope);
  return [
    ...(ScopeSet.fromStored(scope).levels.has('profile') ? PROFILE_CLAIMS : []),
    ...(plain.has('email') ? EMAIL_CLAIMS : []),
    ...(plain.has('phone') ? PHONE_CLAIMS : []),
  ];
}

/** What the token's grant asked for by name in its authorization request (`claims.userinfo`). */
async function requestedClaims(familyId: string, ctx: OAuthContext): Promise<string[]> {
  return (await ctx.store.families.byId(familyId))?.claims?.userinfo ?? [];
}

/** The UserInfo response for a bearer token, or a UserInfoError. */
export async function userInfo(token: string, ctx: OAuthContext): Promise<UserInfo> {
  // Only tokens for the built-in API: a token for another resource is not ours to answer with.
  const active = await activeAccessToken(token, ctx);
  if (!active) throw new UserInfoError('invalid_token', 'The access token is invalid, expired or revoked');
  const scope = words(active.claims.scope);
  if (!scope.has(OPENID)) throw new UserInfoError('insufficient_scope', 'The access token was not granted the openid scope');
  if (active.subject.kind !== 'user') throw new UserInfoError('invalid_token', 'The access token acts for an app, not for a user');
  const { user } = active.subject;
  const app = await ctx.store.apps.byId(active.claims.app_id);
  if (!app) throw new UserInfoError('invalid_token', 'The app of this access token no longer exists');
  const names = [...scopedClaims(active.claims.scope), ...(await requestedClaims(active.claims.fid, ctx))];
  const { tenant: _tenant, ...claims } = userClaims(user, active.claims.tenant, names);
  return { sub: oidcSubject(app, user.id, ctx), ...claims, tenant: active.claims.tenant };
}
