// Authorization codes, token families and refresh tokens: the state behind every token.

export interface AuthorizationCode {
  codeHash: string;
  appId: number;
  userId: number;
  redirectUri: string;
  scope: string;
  codeChallenge: string | null;
  familyId: string;
  createdAt: Date;
  expiresAt: Date;
}

export type NewRefreshToken = Omit<RefreshToken, 'lastUsedAt' | 'revokedAt' | 'rotatedAt' | 'successorHash'>;

export interface TokenFamily {
  id: string;
  appId: number;
  /** The user it was granted by; null for a family of the app itself (see subject.ts). */
  userId: number | null;
  scope: string;
  /** Established with the client secret: refreshing then needs the secret too. */
  confidential: boolean;
  createdAt: Date;
  revokedAt: Date | null;
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
  | 'user_disabled';

