// Typed errors of @gatehouse/client. Every error the SDK throws on purpose extends
// GatehouseClientError, so an app can tell "the server said no" from a network failure.

/** Base class of every error the SDK throws on purpose. */
export class GatehouseClientError extends Error {
  override name = 'GatehouseClientError';
}

/**
 * The authorization server answered with an OAuth error: from the token, token_info or revoke
 * endpoint (`status` is the HTTP status), or in the authorization response (`status` undefined).
 */
export class OAuthClientError extends GatehouseClientError {
  override name = 'OAuthClientError';
  constructor(
    /** The OAuth error code, e.g. `invalid_grant`, `access_denied`, `invalid_client`. */
    readonly code: string,
    /** The server's human-readable text, if it sent one. */
    readonly description: string | undefined,
    /** The HTTP status; undefined for an error that came back in the callback URL. */
    readonly status: number | undefined,
    /** `error_uri`, if the server sent one. */
    readonly uri?: string,
  ) {
    super(description ? `${code}: ${description}` : code);
  }
}

export type CallbackFailure = 'state_mismatch' | 'issuer_mismatch' | 'missing_issuer' | 'missing_code' | 'no_pending_authorization';

/**
 * The callback URL failed a check before anything was sent to the server: a `state` other than the
 * one this browser started with (a forged or mixed-up response), an `iss` naming another server
 * (RFC 9207 mix-up defence), no code at all, or (finishAuthorization) no authorization started here.
 */
export class CallbackValidationError extends GatehouseClientError {
  override name = 'CallbackValidationError';
  constructor(
    readonly reason: CallbackFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Why an ID token or a logout token was refused; one value per check of OpenID Connect Core §3.1.3.7 and Back-Channel Logout §2.6. */
export type TokenValidationFailure =
  | 'malformed'
  | 'algorithm'
  | 'signature'
  | 'type'
  | 'issuer'
  | 'audience'
  | 'azp'
  | 'expired'
  | 'issued_at'
  | 'nonce'
  | 'at_hash'
  | 'subject'
  | 'events'
  | 'replay';

/**
 * A JWT from the OpenID provider (an ID token, a logout token) or its UserInfo answer failed a
 * check: a bad signature, another issuer or audience, expired, a nonce or at_hash that does not
 * match, a replayed logout token. Nothing in it may be believed.
 */
export class TokenValidationError extends GatehouseClientError {
  override name = 'TokenValidationError';
  constructor(
    readonly reason: TokenValidationFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The server answered something that is not OAuth: a 5xx page, invalid JSON, a token response without a token. */
export class UnexpectedResponseError extends GatehouseClientError {
  override name = 'UnexpectedResponseError';
  constructor(
    message: string,
    /** The HTTP status of the answer. */
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * The TokenManager holds no usable tokens: none were stored, or the access token expired without a
 * refresh token, or the server refused the refresh token (`cause` is that OAuthClientError).
 * The app should send the user through authorization again.
 */
export class LoginRequiredError extends GatehouseClientError {
  override name = 'LoginRequiredError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
