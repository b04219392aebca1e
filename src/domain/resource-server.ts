// Resource servers: the APIs whose access tokens Gatehouse issues. The built-in one is ilert's API
// (src/api/); any number of others are data, each with its own scopes and credentials.

/** A scope of a resource: an ilert-style family (`notes`, `notes:w`, `notes:d`) or a plain name. */
export type ScopeDefinition =
  | { kind: 'family'; name: string; /** What the consent page names ("Notes": "See, Create, Edit Notes"). */ noun: string }
  | { kind: 'plain'; name: string; /** What the consent page says it allows. */ description: string };

export interface ResourceServer {
  id: number;
  /**
   * The RFC 8707 `resource` value and the `aud` of its tokens: an absolute URI without fragment.
   * Null for the built-in API, whose identifier is `{PUBLIC_URL}/api` wherever the server runs.
   */
  identifier: string | null;
  builtIn: boolean;
  name: string;
  description: string;
  scopes: ScopeDefinition[];
  /** Seconds its access tokens live; null: the server's configured lifetime (the built-in API). */
  accessTokenLifetime: number | null;
  /** Its own confidential credentials, for introspection and the revocation feed. */
  clientId: string;
  clientSecretHash: string;
  createdAt: Date;
  updatedAt: Date;
  /** Deleted resources stay as tombstones: their credentials still read the revocation feed. */
  deletedAt: Date | null;
}

/** The built-in API's row: created by migration 011 with this id, never deleted. */
export const BUILT_IN_RESOURCE_ID = 1;

/** The lifetime of a new resource's access tokens unless it names another. */
export const DEFAULT_RESOURCE_TOKEN_LIFETIME = 3600;

export type NewResourceServer = Pick<ResourceServer, 'identifier' | 'name' | 'description' | 'scopes' | 'accessTokenLifetime' | 'clientId' | 'clientSecretHash'>;

export type ResourceServerChanges = Partial<Pick<ResourceServer, 'name' | 'description' | 'scopes' | 'accessTokenLifetime' | 'clientSecretHash'>>;

/** One resource's part of what an authorization covers: its scopes, canonical, without offline_access. */
export interface ResourceScope {
  resourceId: number;
  scope: string;
}

/** A revoked token family, as the revocation feed tells a resource of it. */
export interface RevocationEntry {
  /** Its place in the feed: entries come in increasing `seq`. */
  seq: number;
  resourceId: number;
  familyId: string;
  reason: string;
  revokedAt: Date;
}
