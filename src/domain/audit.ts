// The audit log's events, and the seam through which the core records them (src/platform/audit.ts
// implements it).

/** What the audit log records; docs/security.md says when each is written. */
export type AuditEventType =
  | 'login_succeeded'
  | 'login_failed'
  | 'logout'
  | 'consent_granted'
  | 'consent_denied'
  | 'token_revoked'
  | 'code_replayed'
  | 'refresh_token_reuse'
  | 'secret_rotated'
  | 'app_access_revoked'
  | 'app_created'
  | 'app_updated'
  | 'app_deleted'
  | 'app_disabled'
  | 'app_enabled'
  | 'user_created'
  | 'user_updated'
  | 'resource_created'
  | 'resource_updated'
  | 'resource_deleted'
  | 'signed_out_everywhere'
  | 'backchannel_logout_delivered'
  | 'backchannel_logout_failed'
  | 'mfa_enrolled'
  | 'mfa_disabled'
  | 'mfa_succeeded'
  | 'mfa_failed'
  | 'recovery_code_used'
  | 'recovery_codes_regenerated'
  | 'passkey_registered'
  | 'passkey_renamed'
  | 'passkey_removed'
  | 'passkey_sign_in'
  | 'passkey_failed'
  | 'mfa_policy_changed'
  | 'mfa_reset';

/** One audit event. `detail` is short plain text and never holds a secret. */
export interface AuditEvent {
  at: Date;
  type: AuditEventType;
  tenantId: number | null;
  userId: number | null;
  appId: number | null;
  ip: string | null;
  userAgent: string | null;
  detail: string;
}

/** A stored event, with the names of what it refers to (null when unknown or since deleted). */
export interface StoredAuditEvent extends AuditEvent {
  id: number;
  tenantSlug: string | null;
  username: string | null;
  appName: string | null;
}

export interface AuditFilter {
  tenantId?: number;
  /** Only events at or after this time. */
  since?: Date;
  limit: number;
}


/** Every event type. */
export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = [
  'login_succeeded',
  'login_failed',
  'logout',
  'consent_granted',
  'consent_denied',
  'token_revoked',
  'code_replayed',
  'refresh_token_reuse',
  'secret_rotated',
  'app_access_revoked',
  'app_created',
  'app_updated',
  'app_deleted',
  'app_disabled',
  'app_enabled',
  'user_created',
  'user_updated',
  'resource_created',
  'resource_updated',
  'resource_deleted',
  'signed_out_everywhere',
  'passkey_registered',
  'passkey_renamed',
  'passkey_removed',
  'passkey_sign_in',
  'passkey_failed',
  'backchannel_logout_delivered',
  'backchannel_logout_failed',
  'mfa_enrolled',
  'mfa_disabled',
  'mfa_succeeded',
  'mfa_failed',
  'recovery_code_used',
  'recovery_codes_regenerated',
  'mfa_policy_changed',
  'mfa_reset',
];

/** Where a request came from, as the HTTP layer saw it (plain values: the core knows no fastify). */
export interface RequestOrigin {
  ip?: string;
  userAgent?: string;
}

export interface AuditFields {
  /** The account the event happened in; looked up from `userId` when not given. */
  tenantId?: number;
  userId?: number;
  appId?: number;
  origin?: RequestOrigin;
  /** Short plain text for people, e.g. `username "jane"` or `scope "profile"`. Never a secret. */
  detail?: string;
}

/** What the core needs of the audit log: recording never throws (a failure is counted and reported). */
export interface AuditLog {
  record(type: AuditEventType, fields?: AuditFields): Promise<void>;
}
