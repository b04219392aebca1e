// The one error type of the protocol core. The HTTP layer turns it into a response body;
// the core never decides how an error is rendered.

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  // OpenID Connect Core §6.1/§6.2: request objects, which Gatehouse does not take.
  | 'request_not_supported'
  | 'request_uri_not_supported'
  // RFC 8628 §3.5: the device's polling answers.
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'server_error'
  | 'temporarily_unavailable'
  // RFC 7591 §3.2.2 (dynamic client registration), and RFC 6750's for a bad registration or initial access token.
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_token'
  // RFC 6750 §3.1: a valid token without the scope a resource needs (OpenID Connect UserInfo).
  | 'insufficient_scope';

const STATUS: Record<OAuthErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  // RFC 8707: a `resource` that is malformed, unknown, or not granted.
  invalid_target: 400,
  access_denied: 400,
  // prompt=none (OpenID Connect Core §3.1.2.6): only ever redirected, never an HTTP status of their own.
  login_required: 400,
  consent_required: 400,
  interaction_required: 400,
  request_not_supported: 400,
  request_uri_not_supported: 400,
  authorization_pending: 400,
  slow_down: 400,
  expired_token: 400,
  server_error: 500,
  temporarily_unavailable: 503,
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
  invalid_token: 401,
  insufficient_scope: 403,
};

export class OAuthError extends Error {
  readonly status: number;
  /** Set when a client failed to prove its identity: counts toward the guessing limits. */
  readonly failedClientAuthentication: boolean;

  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    options: { status?: number; failedClientAuthentication?: boolean } = {},
  ) {
    super(`${code}: ${description}`);
    this.name = 'OAuthError';
    this.status = options.status ?? STATUS[code];
    this.failedClientAuthentication = options.failedClientAuthentication ?? false;
  }
}

export const invalidRequest = (description: string) => new OAuthError('invalid_request', description);
export const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);
export const invalidScope = (description: string) => new OAuthError('invalid_scope', description);
export const invalidTarget = (description: string) => new OAuthError('invalid_target', description);
