// OpenID Connect UserInfo (Core §5.3): the claims of the user behind an access token for the
// built-in API whose scope includes `openid`, chosen by its scopes (Core §5.4).
import type { User } from '../domain/identity.ts';
import type { OAuthContext } from './context.ts';
import { OAuthError } from './errors.ts';
import { OPENID } from './oidc-scopes.ts';
import { ScopeSet } from './scopes.ts';
import { activeAccessToken } from './token-info.ts';

export interface UserInfo {
  sub: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  preferred_username?: string;
  locale?: string;
  zoneinfo?: string;
  updated_at?: number;
  email?: string;
  email_verified?: boolean;
  /** The user's account, as access tokens name it. */
  tenant: string;
}

/** Every claim this server may return, for discovery's `claims_supported`. */
export const USERINFO_CLAIMS = ['sub', 'name', 'given_name', 'family_name', 'preferred_username', 'locale', 'zoneinfo', 'updated_at', 'email', 'email_verified', 'tenant'] as const;

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

/** The profile claims of ilert's user model (no picture: an avatar URL is ilert's, not ours to vouch for). */
function profileClaims(user: User) {
  const name = `${user.firstName} ${user.lastName}`.trim();
  return {
    ...(name === '' ? {} : { name }),
    ...(user.firstName === '' ? {} : { given_name: user.firstName }),
    ...(user.lastName === '' ? {} : { family_name: user.lastName }),
    preferred_username: user.username,
    locale: user.region === '' ? user.language : `${user.language}-${user.region}`,
    ...(user.timezone === '' ? {} : { zoneinfo: user.timezone }),
    updated_at: Math.floor(user.updatedAt.getTime() / 1000),
  };
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
  return {
    sub: String(user.id),
    // ilert's profile family at any level; wildcard is API access, not a request for claims.
    ...(ScopeSet.fromStored(active.claims.scope).levels.has('profile') ? profileClaims(user) : {}),
    // No address verification exists yet: email_verified is honest at false.
    ...(scope.has('email') && user.email !== '' ? { email: user.email, email_verified: false } : {}),
    tenant: active.claims.tenant,
  };
}
