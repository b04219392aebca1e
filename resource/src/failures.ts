// Why a request or token was refused, and how each reason answers over HTTP (RFC 6750 §3.1):
// a missing token is 401 without an error code, a malformed request 400 invalid_request, a bad
// token 401 invalid_token, too few scopes 403 insufficient_scope. When the kit cannot tell whether
// a token is still good (the authorization server unreachable) it answers 503, not 401: a 401
// would send the client to fetch new tokens, which cannot help.

export type FailureReason =
  | 'missing_token'
  | 'malformed_header'
  | 'token_in_query'
  | 'malformed_token'
  | 'wrong_type'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'bad_signature'
  | 'invalid_claims'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'revoked'
  | 'inactive'
  | 'resource_deleted'
  | 'insufficient_scope'
  | 'unavailable';

/** The RFC 6750 error codes; `temporarily_unavailable` (RFC 6749's) for 503. */
export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable';

export type FailureStatus = 400 | 401 | 403 | 503;

const DESCRIPTIONS: Record<FailureReason, string> = {
  missing_token: 'This request needs an access token in the Authorization header (Bearer)',
  malformed_header: 'The Authorization header must be "Bearer <access token>"',
  token_in_query: 'Access tokens are accepted only in the Authorization header, never in the URL',
  malformed_token: 'The access token is not a JWT',
  wrong_type: 'The token is not an access token (typ must be at+jwt)',
  algorithm_not_allowed: 'The access token is signed with an algorithm this resource does not accept',
  unknown_key: 'The access token is signed with a key the authorization server does not publish',
  bad_signature: 'The access token signature is invalid',
  invalid_claims: 'The access token lacks a claim an access token must have',
  wrong_issuer: 'The access token was issued by another authorization server',
  wrong_audience: 'The access token is for another resource',
  expired: 'The access token has expired',
  not_yet_valid: 'The access token is not valid yet',
  revoked: 'The access token has been revoked',
  inactive: 'The access token is no longer active',
  resource_deleted: 'This resource no longer accepts access tokens',
  insufficient_scope: 'The access token lacks a scope this request needs',
  unavailable: 'The authorization server cannot be reached to check the access token; try again shortly',
};

/** What a refused token or request carries: the reason for logs and tests, and the HTTP answer's parts. */
export interface Failure {
  readonly ok: false;
  readonly reason: FailureReason;
  readonly status: FailureStatus;
  /** The RFC 6750 code; undefined when the request carried no token (§3.1 says to send none then). */
  readonly error: BearerErrorCode | undefined;
  readonly description: string;
  /** For insufficient_scope: the scopes the request needs, space-separated. */
  readonly scope?: string;
}

export function statusOf(reason: FailureReason): FailureStatus {
  switch (reason) {
    case 'missing_token':
      return 401;
    case 'malformed_header':
    case 'token_in_query':
      return 400;
    case 'insufficient_scope':
      return 403;
    case 'unavailable':
      return 503;
    default:
      return 401;
  }
}

export function errorCodeOf(reason: FailureReason): BearerErrorCode | undefined {
  switch (statusOf(reason)) {
    case 400:
      return 'invalid_request';
    case 403:
      return 'insufficient_scope';
    case 503:
      return 'temporarily_unavailable';
    default:
      return reason === 'missing_token' ? undefined : 'invalid_token';
  }
}

/** One frozen failure per reason, shared: refusing a request allocates nothing. */
const FAILURES = new Map<FailureReason, Failure>(
  (Object.keys(DESCRIPTIONS) as FailureReason[]).map((reason) => [
    reason,
    Object.freeze({ ok: false as const, reason, status: statusOf(reason), error: errorCodeOf(reason), description: DESCRIPTIONS[reason] }),
  ]),
);

/** The failure for a reason; for insufficient_scope, naming the scopes the request needs. */
export function failure(reason: FailureReason, scope?: string): Failure {
  const shared = FAILURES.get(reason) as Failure;
  return scope === undefined ? shared : Object.freeze({ ...shared, description: `This request needs the scope ${scope}`, scope });
}

/** Thrown for a verifier that cannot work as configured (bad options, discovery naming another issuer). */
export class ResourceKitError extends Error {
  override name = 'ResourceKitError';
}

/** A call to the authorization server that failed: network, timeout, or an answer that is not what the contract says. */
export class AuthorizationServerError extends ResourceKitError {
  override name = 'AuthorizationServerError';
  constructor(
    message: string,
    /** The HTTP status, when an answer came. */
    readonly status?: number,
    /** The OAuth error code of the answer (`invalid_client`, `invalid_request`), if any. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
