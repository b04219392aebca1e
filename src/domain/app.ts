// Apps: the OAuth clients developers register.

export interface App {
  id: number;
  tenantId: number;
  clientId: string;
  clientSecretHash: string;
  name: string;
  description: string;
  redirectUris: string[];
  limitToAccount: boolean;
  verified: boolean;
  /** When a refresh returns a new refresh token and spends the old one. */
  refreshRotation: RefreshRotation;
  /** The grant types it may use at the token endpoint (and `authorization_code` at authorize); see src/oauth/grants/. */
  grantTypes: string[];
  /** The resource a token request that names none is for; null: the built-in API. */
  defaultResourceId: number | null;
  /** When an icon was last uploaded (null: none); it versions the icon's URL. */
  iconUpdatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What can change about an app after registration (its name and client id cannot). */
export type AppChanges = Partial<Pick<App, 'description' | 'redirectUris' | 'limitToAccount' | 'refreshRotation' | 'grantTypes' | 'verified' | 'clientSecretHash' | 'defaultResourceId'>>;

/**
 * 'always': every refresh rotates; 'public': refreshes without the client secret rotate;
 * 'never': ilert's behaviour, the same refresh token comes back.
 */
export type RefreshRotation = 'always' | 'public' | 'never';
export const REFRESH_ROTATIONS: readonly RefreshRotation[] = ['always', 'public', 'never'];

/** The grant types of an app registered without naming any: ilert's two. */
export const DEFAULT_GRANT_TYPES: readonly string[] = ['authorization_code', 'refresh_token'];

/** A new app rotates refresh tokens of public clients, and uses the default grant types, unless told otherwise. */
export type NewApp = Omit<App, 'id' | 'verified' | 'createdAt' | 'updatedAt' | 'refreshRotation' | 'grantTypes' | 'iconUpdatedAt' | 'defaultResourceId'> & {
  refreshRotation?: RefreshRotation;
  grantTypes?: string[];
  defaultResourceId?: number | null;
};

