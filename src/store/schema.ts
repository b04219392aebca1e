// Row types of the database, as Kysely sees them. Times are epoch milliseconds (bigint on
// PostgreSQL, integer on SQLite) and flags are 0/1 integers, so both dialects return one shape.
import type { Generated } from 'kysely';

export interface TenantsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  created_at: number;
  /** MfaPolicy['required']. */
  mfa_required: Generated<string>;
  mfa_for_delete_scopes: Generated<number>;
}

export interface UsersTable {
  id: Generated<number>;
  tenant_id: number;
  username: string;
  password_hash: string;
  email: string;
  first_name: string;
  last_name: string;
  timezone: string;
  position: string;
  department: string;
  avatar_url: string | null;
  /** OpenID Connect's `picture` claim: an https URL, or null (migration 021). */
  picture: string | null;
  /** OpenID Connect's `phone_number` claim in E.164 form (`+4915112345678`), or null (migration 022). */
  phone_number: string | null;
  language: string;
  region: string;
  role: string;
  shift_color: string;
  muted_until: number | null;
  disabled: number;
  platform_admin: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface AppsTable {
  id: Generated<number>;
  /** Null for a client that registered itself or publishes a metadata document (migration 013). */
  tenant_id: number | null;
  client_id: string;
  /** Null: no secret (migration 013). */
  client_secret_hash: string | null;
  name: string;
  description: string;
  redirect_uris: string;
  limit_to_account: number;
  verified: number;
  /** 'always' | 'public' | 'never' (migration 003; apps from before it have 'never'). */
  refresh_rotation: string;
  /** JSON array of grant_type values (migration 007). */
  grant_types: string;
  icon_updated_at: number | null;
  /** The resource a token request without `resource` is for; null: the built-in API (migration 011). */
  default_resource_id: number | null;
  /** 'console' | 'dynamic' | 'metadata_document' (migration 013, like the columns below). */
  registration: Generated<string>;
  token_endpoint_auth_method: string | null;
  /** JSON {keys: [...]}: the public keys of private_key_jwt. */
  jwks: string | null;
  jwks_uri: string | null;
  /** JSON [{resourceId, scope}]: what client_credentials may ask; null: nothing. */
  service_scopes: string | null;
  disabled_at: number | null;
  last_used_at: number | null;
  registration_token_hash: string | null;
  /** JSON of RFC 7591's descriptive fields (ClientMetadata). */
  client_metadata: string | null;
  /** JSON array of URLs (migration 019, like the two below). */
  post_logout_redirect_uris: Generated<string>;
  backchannel_logout_uri: string | null;
  /** 'public' | 'pairwise'. */
  subject_type: Generated<string>;
  created_at: number;
  updated_at: number;
}

export interface AuthorizationCodesTable {
  code_hash: string;
  app_id: number;
  user_id: number;
  redirect_uri: string;
  scope: string;
  code_challenge: string | null;
  family_id: string;
  /** JSON [{resourceId, scope}]: each resource's part of `scope`; null: the built-in API's alone (rows from before migration 011). */
  resource_scopes: string | null;

  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  /** OpenID Connect (migration 018): the request's nonce, the sign-in time, the session's sid. */
  nonce: string | null;
  auth_time: number | null;
  sid: string | null;
  /** JSON array of RFC 8176 methods (migration 023); null: a password sign-in from before. */
  amr: string | null;
  /** OpenID Connect (migration 021): the claims the request asked for (claims-request.ts), JSON. */
  claims: string | null;
}

export interface TokenFamiliesTable {
  id: string;
  app_id: number;
  /** Null for a family of the app itself (migration 008). */
  user_id: number | null;
  scope: string;
  /** JSON [{resourceId, scope}]: each resource's part of `scope`; null: the built-in API's alone (rows from before migration 011). */
  resource_scopes: string | null;
  confidential: number;
  created_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
  /** An app's own family (client_credentials): the latest expiry of a token it minted; kept until then (migration 015). */
  tokens_until: number | null;
  /** OpenID Connect (migration 018): when the user signed in, and the session's sid, for refreshed ID tokens. */
  auth_time: number | null;
  sid: string | null;
  /** JSON array of RFC 8176 methods (migration 023); null: a password sign-in from before. */
  amr: string | null;
  /** OpenID Connect (migration 021): the claims its authorization request asked for, JSON. */
  claims: string | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  family_id: string;
  app_id: number;
  user_id: number;
  scope: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** When a refresh spent this token for a successor (migration 003). */
  rotated_at: number | null;
  successor_hash: string | null;
}

export interface GrantsTable {
  user_id: number;
  app_id: number;
  scope: string;
  /** JSON [{resourceId, scope}]: each resource's part of `scope`; null: the built-in API's alone (rows from before migration 011). */
  resource_scopes: string | null;
  client_description: string;
  connected_at: number;
  last_activity_at: number;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk_encrypted: string;
  created_at: number;
  retired_at: number | null;
}

export interface SessionsTable {
  id_hash: string;
  tenant_id: number;
  user_id: number;
  created_at: number;
  expires_at: number;
  /** JSON array of RFC 8176 methods (migration 023); null: a password sign-in from before. */
  amr: string | null;
}

export interface TotpFactorsTable {
  user_id: number;
  secret_sealed: string | null;
  pending_sealed: string | null;
  confirmed_at: number | null;
  last_used_step: number | null;
}

export interface RecoveryCodesTable {
  user_id: number;
  /** SHA-256 of the normalised code. */
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

export interface PendingSignInsTable {
  /** SHA-256 of the cookie's value. */
  id_hash: string;
  tenant_id: number;
  user_id: number;
  return_to: string;
  expires_at: number;
  attempts: Generated<number>;
}

export interface ConsoleFlashesTable {
  session_id_hash: string;
  path: string;
  /** The flash as JSON, sealed with a key derived from the session id (which only the browser holds). */
  sealed: string;
  expires_at: number;
}

export interface EscalationPoliciesTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
}

export interface AlertSourcesTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  integration_type: string;
  integration_key: string;
  escalation_policy_id: number;
  active: number;
  alert_creation: string;
  alert_priority_rule: string;
  auto_resolution_timeout: string | null;
  alert_grouping_window: string | null;
  teams: string;
  created_at: number;
  updated_at: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  type: string;
  tenant_id: number | null;
  user_id: number | null;
  app_id: number | null;
  ip: string | null;
  user_agent: string | null;
  detail: string;
}

export interface AppIconsTable {
  app_id: number;
  png: Buffer;
  updated_at: number;
}

export interface ResourceServersTable {
  id: Generated<number>;
  /** Null for the built-in API, whose identifier follows PUBLIC_URL. */
  identifier: string | null;
  built_in: number;
  name: string;
  description: string;
  /** JSON array of ScopeDefinition. */
  scopes: string;
  access_token_lifetime: number | null;
  client_id: string;
  client_secret_hash: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

/** Which resources a token family's tokens may be minted for (the feed and deletion look families up by resource). */
export interface TokenFamilyResourcesTable {
  family_id: string;
  resource_id: number;
}

/** One revoked family for one resource; `seq` (null until sequenced) orders the feed. */
export interface RevocationEntriesTable {
  id: Generated<number>;
  resource_id: number;
  family_id: string;
  reason: string;
  revoked_at: number;
  seq: number | string | null;
}

export interface ClientAssertionsTable {
  id: Generated<number>;
  client_id: string;
  /** SHA-256 hex of the assertion's `jti`. */
  jti_hash: string;
  expires_at: number | string;
}

/** One device authorization request (RFC 8628); see domain/device-code.ts. */
export interface DeviceCodesTable {
  device_code_hash: string;
  user_code_hash: string;
  app_id: number;
  scope: string;
  /** JSON [{resourceId, scope}]: each requested resource's part of `scope`. */
  resource_scopes: string;
  interval_seconds: number;
  last_polled_at: number | null;
  status: string;
  user_id: number | null;
  family_id: string | null;
  created_at: number;
  expires_at: number;
}

/** An initial access token for dynamic client registration (migration 017). */
export interface RegistrationTokensTable {
  id: Generated<number>;
  token_hash: string;
  label: string;
  max_uses: number | null;
  use_count: Generated<number>;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** A logout token still to be delivered (migration 020): one per app and ended session. */
export interface LogoutDeliveriesTable {
  id: Generated<number>;
  app_id: number;
  user_id: number;
  sid: string;
  attempts: Generated<number>;
  next_attempt_at: number | string;
  last_error: string | null;
  created_at: number | string;
}

/** A user's WebAuthn credential (migration 025). */
export interface PasskeysTable {
  id: Generated<number>;
  user_id: number;
  credential_id: string;
  public_key: Buffer;
  sign_count: number | string;
  /** JSON array of transport names. */
  transports: string;
  name: string;
  aaguid: string;
  backed_up: number;
  device_type: string;
  created_at: number | string;
  last_used_at: number | string | null;
}

/** A WebAuthn challenge waiting for its answer (migration 025): one per binding and purpose. */
export interface WebAuthnChallengesTable {
  binding: string;
  purpose: string;
  challenge: string;
  user_id: number | null;
  expires_at: number | string;
}

export interface Database {
  tenants: TenantsTable;
  users: UsersTable;
  apps: AppsTable;
  app_icons: AppIconsTable;
  authorization_codes: AuthorizationCodesTable;
  token_families: TokenFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  grants: GrantsTable;
  signing_keys: SigningKeysTable;
  sessions: SessionsTable;
  console_flashes: ConsoleFlashesTable;
  totp_factors: TotpFactorsTable;
  recovery_codes: RecoveryCodesTable;
  pending_sign_ins: PendingSignInsTable;
  escalation_policies: EscalationPoliciesTable;
  alert_sources: AlertSourcesTable;
  audit_events: AuditEventsTable;
  resource_servers: ResourceServersTable;
  token_family_resources: TokenFamilyResourcesTable;
  revocation_entries: RevocationEntriesTable;
  client_assertions: ClientAssertionsTable;
  device_codes: DeviceCodesTable;
  registration_tokens: RegistrationTokensTable;
  logout_deliveries: LogoutDeliveriesTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebAuthnChallengesTable;
}
