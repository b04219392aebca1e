// The front-channel half of the flow: the authorize URL the user is sent to, and the checks on
// the callback URL the server sends the user back to (state, iss per RFC 9207, error).
import { expectedIssuer, resolveEndpoints, type ClientConfig } from './config.ts';
import { CallbackValidationError } from './errors.ts';
import { oauthErrorFrom } from './http.ts';

export interface AuthorizeParams {
  /** Space-separated string or a list, e.g. `['profile', 'source:w', 'offline_access']`. */
  scope: string | readonly string[];
  /** From createState(); handleCallback checks it comes back unchanged. */
  state: string;
  /** From createPkcePair(); required for public clients (no client secret). */
  codeChallenge?: string;
  /** Default: config.redirectUri. */
  redirectUri?: string;
  /** RFC 8707: the API (or APIs) the tokens are for, by identifier; default: the app's default resource. */
  resource?: string | readonly string[];
  /** Anything else to put in the query (e.g. `prompt`); cannot replace the parameters above. */
  extraParams?: Record<string, string>;
}

/** The URL to send the user to: client_id, redirect_uri, response_type=code, scope, state and the S256 challenge. */
export function buildAuthorizeUrl(config: ClientConfig, params: AuthorizeParams): string {
  const redirectUri = params.redirectUri ?? config.redirectUri;
  if (!redirectUri) throw new TypeError('buildAuthorizeUrl needs a redirectUri (in the config or the call)');
  if (config.clientSecret === undefined && !params.codeChallenge) {
    throw new TypeError('a public client (no clientSecret) must use PKCE: pass codeChallenge from createPkcePair()');
  }
  const url = new URL(resolveEndpoints(config).authorize);
  const query = new URLSearchParams(params.extraParams);
  query.set('client_id', config.clientId);
  query.set('redirect_uri', redirectUri);
  query.set('response_type', 'code');
  query.set('scope', typeof params.scope === 'string' ? params.scope : params.scope.join(' '));
  query.set('state', params.state);
  if (params.codeChallenge) {
    query.set('code_challenge', params.codeChallenge);
    query.set('code_challenge_method', 'S256');
  }
  query.delete('resource');
  for (const resource of typeof params.resource === 'string' ? [params.resource] : (params.resource ?? [])) query.append('resource', resource);
  url.search = query.toString();
  return url.toString();
}

export interface CallbackResult {
  code: string;
  state: string;
  /** The `iss` the server sent, when it sent one. */
  iss?: string;
}

export interface CallbackChecks {
  /** The state this browser put in the authorize URL. */
  expectedState: string;
}

/**
 * Reads the callback URL (e.g. `location.href`). Checks, in RFC 9207's order: `iss` (when sent, or
 * always with config.requireIss), then `state`, then surfaces an `error` as OAuthClientError.
 * Returns the code to exchange.
 */
export function handleCallback(config: ClientConfig, callbackUrl: string | URL, checks: CallbackChecks): CallbackResult {
  const query = new URL(callbackUrl).searchParams;
  const iss = query.get('iss') ?? undefined;
  if (iss === undefined) {
    if (config.requireIss) throw new CallbackValidationError('missing_issuer', 'the authorization response has no iss, and this server always sends one');
  } else if (iss !== expectedIssuer(config)) {
    throw new CallbackValidationError('issuer_mismatch', `the authorization response comes from issuer ${iss}, not ${expectedIssuer(config)}`);
  }
  const state = query.get('state');
  if (state !== checks.expectedState) {
    throw new CallbackValidationError('state_mismatch', 'the authorization response does not carry the state this client sent');
  }
  const error = oauthErrorFrom(
    { error: query.get('error') ?? undefined, error_description: query.get('error_description') ?? undefined, error_uri: query.get('error_uri') ?? undefined },
    undefined,
  );
  if (error) throw error;
  const code = query.get('code');
  if (!code) throw new CallbackValidationError('missing_code', 'the authorization response has neither a code nor an error');
  return { code, state, ...(iss === undefined ? {} : { iss }) };
}
