// Apps: the OAuth clients developers register in an account, clients that register themselves
// (RFC 7591) and clients whose id is the URL of their metadata document.
import type { ResourceScope } from './resource-server.ts';

export interface App {
  id: number;
  /** The account that owns it; null for a client that registered itself or publishes a metadata document. */
  tenantId: number | null;
  clientId: string;
  /** SHA-256 of the client secret; null when it has none (a public client, private_key_jwt). */
  clientSecretHash: string | null;
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
  /** How it came to be: in a console (or the CLI), by registering itself, or as a metadata document's URL. */
  registration: AppRegistration;
  /** How it authenticates at the token endpoint; null: ilert's rule (the secret optional per request, in Basic or the body, or PKCE alone). */
  tokenEndpointAuthMethod: TokenEndpointAuthMethod | null;
  /** The public keys of its private_key_jwt assertions, held here or published at `jwksUri`. */
  jwks: JsonWebKeySet | null;
  jwksUri: string | null;
  /** What a client_credentials request may ask, per resource; empty: nothing. */
  serviceScopes: ResourceScope[];
  /** Disabled apps get no tokens; disabling revoked what they held. */
  disabledAt: Date | null;
  /** When it last obtained tokens (self-registered clients unused for long are purged). */
  lastUsedAt: Date | null;
  /** SHA-256 of its RFC 7592 registration access token; null when it has none. */
  registrationTokenHash: string | null;
  /** RFC 7591's descriptive fields, as the client registered or published them. */
  clientMetadata: ClientMetadata | null;
  /** OpenID Connect RP-initiated logout: where the browser may be sent back to after signing out (matched exactly). */
  postLogoutRedirectUris: string[];
  /** OpenID Connect back-channel logout: where logout tokens are POSTed when a session it shared ends. */
  backchannelLogoutUri: string | null;
  /** The `sub` of its ID tokens and UserInfo: the user's id, or one of its own per redirect host. */
  subjectType: SubjectType;
  createdAt: Date;
  updatedAt: Date;
}

export type AppRegistration = 'console' | 'dynamic' | 'metadata_document';
export const APP_REGISTRATIONS: readonly AppRegistration[] = ['console', 'dynamic', 'metadata_document'];

export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
export const TOKEN_ENDPOINT_AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];

/** OpenID Connect Core §8: 'public' is the user's id for every app; 'pairwise' a different one per app (its redirect host). */
export type SubjectType = 'public' | 'pairwise';
export const SUBJECT_TYPES: readonly SubjectType[] = ['public', 'pairwise'];

/** A JWK Set (RFC 7517 §5) of public keys, kept as the client gave it. */
export interface JsonWebKeySet {
  keys: Record<string, unknown>[];
}

/** RFC 7591 §2's descriptive client metadata (the fields Gatehouse shows or returns, none of which grants anything). */
export interface ClientMetadata {
  clientUri?: string;
  logoUri?: string;
  tosUri?: string;
  policyUri?: string;
  contacts?: string[];
  softwareId?: string;
  softwareVersion?: string;
  applicationType?: 'web' | 'native';
  /** OpenID Connect back-channel logout §2.2, as registered (Gatehouse's logout tokens always carry sid). */
  backchannelLogoutSessionRequired?: boolean;
}

/** What can change about an app after registration (its client id cannot; the console keeps its name too). */
export type AppChanges = Partial<
  Pick<
    App,
    | 'name'
    | 'description'
    | 'redirectUris'
    | 'limitToAccount'
    | 'refreshRotation'
    | 'grantTypes'
    | 'verified'
    | 'clientSecretHash'
    | 'defaultResourceId'
    | 'tokenEndpointAuthMethod'
    | 'jwks'
    | 'jwksUri'
    | 'serviceScopes'
    | 'disabledAt'
    | 'registrationTokenHash'
    | 'clientMetadata'
    | 'postLogoutRedirectUris'
    | 'backchannelLogoutUri'
    | 'subjectType'
  >
>;

/**
 * 'always': every refresh rotates; 'public': refreshes without the client secret rotate;
 * 'never': ilert's behaviour, the same refresh token comes back.
 */
export type RefreshRotation = 'always' | 'public' | 'never';
export const REFRESH_ROTATIONS: readonly RefreshRotation[] = ['always', 'public', 'never'];

/** The grant types of an app registered without naming any: ilert's two. */
export const DEFAULT_GRANT_TYPES: readonly string[] = ['authorization_code', 'refresh_token'];

/** The fields a new app may leave out, taking their defaults. */
type AppDefaults = 'refreshRotation' | 'grantTypes' | 'defaultResourceId' | 'registration' | 'tokenEndpointAuthMethod' | 'jwks' | 'jwksUri' | 'serviceScopes' | 'registrationTokenHash' | 'clientMetadata' | 'postLogoutRedirectUris' | 'backchannelLogoutUri' | 'subjectType';

/**
 * A new app rotates refresh tokens of public clients, uses the default grant types, is the
 * console's, authenticates by ilert's rule and has no keys, service scopes or metadata, unless told otherwise.
 */
export type NewApp = Omit<App, 'id' | 'verified' | 'createdAt' | 'updatedAt' | 'iconUpdatedAt' | 'disabledAt' | 'lastUsedAt' | AppDefaults> & Partial<Pick<App, AppDefaults>>;

