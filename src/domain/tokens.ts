// Authorization codes, token families and refresh tokens: the state behind every token.
import type { ResourceScope } from './resource-server.ts';

export interface AuthorizationCode {
  codeHash: string;
  appId: number;
  userId: number;
  redirectUri: string;
  scope: string;
  /** Each granted resource's part of `scope`, in the order the request named them. */
  resources: ResourceScope[];
  codeChallenge: string | null;
  familyId: string;
  createdAt: Date;
  expiresAt: Date;
  /** OpenID Connect: the authorization request's nonce, echoed in the ID token. */
  nonce?: string | null;
  /** OpenID Connect: when the user signed in and the session's opaque id (see id-token.ts). */
  session?: SignInSession | null;
  /** OpenID Connect: the individual claims the request asked for (the `claims` parameter). */
  claims?: RequestedClaims | null;
}

/** The individual claims an authorization request asked for (Core §5.5), by where they go; only names Gatehouse knows. */
export interface RequestedClaims {
  userinfo: string[];
  idToken: string[];
}

/** When and in which browser session a user signed in, as ID tokens report it (auth_time, sid). */
export interface SignInSession {
  authTime: Date;
  sid: string;
  /** How the user signed in (RFC 8176 `amr` values, e.g. ["pwd"]). */
  amr: string[];
}

/** The methods of a password sign-in, and of every session from before methods were kept. */
export const PASSWORD_AMR: readonly string[] = ['pwd'];

/** What a new code or family records; without `resources`, it covers the built-in API with its whole scope. */
export type WithOptionalResources<T extends { resources: ResourceScope[] }> = Omit<T, 'resources'> & { resources?: ResourceScope[] };
export type NewAuthorizationCode = WithOptionalResources<AuthorizationCode>;
export type NewTokenFamily = WithOptionalResources<Omit<TokenFamily, 'revokedAt'>>;

export type NewRefreshToken = Omit<RefreshToken, 'lastUsedAt' | 'revokedAt' | 'rotatedAt' | 'successorHash'>;

export interface TokenFamily {
  id: string;
  appId: number;
  /** The user it was granted by; null for a family of the app itself (see subject.ts). */
  userId: number | null;
  scope: string;
  /** The resources its access tokens may be minted for, each with its part of `scope`. */
  resources: ResourceScope[];
  /** Established with the client secret: refreshing then needs the secret too. */
  confidential: boolean;
  createdAt: Date;
  revokedAt: Date | null;
  /** OpenID Connect: the sign-in its code came from, for the ID tokens of refreshes. */
  session?: SignInSession | null;
  /** OpenID Connect: the individual claims its authorization request asked for. */
  claims?: RequestedClaims | null;
}

export interface RefreshToken {
  tokenHash: string;
  familyId: string;
  appId: number;
  userId: number;
  scope: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Spent by a rotating refresh; `successorHash` names the token it was exchanged for. */
  rotatedAt: Date | null;
  successorHash: string | null;
}

/** Why a token family ended (stored with it). */
export type RevocationReason =
  | 'code_replay'
  | 'revoked_by_client'
  | 'revoked_by_user'
  | 'token_limit'
  | 'app_deleted'
  | 'refresh_token_reuse'
  | 'secret_rotated'
  | 'resource_deleted'
  | 'user_disabled'
  | 'app_disabled'
  | 'service_scopes_narrowed'
  /** The browser session that signed the family in ended (OpenID Connect, without offline_access). */
  | 'signed_out';

