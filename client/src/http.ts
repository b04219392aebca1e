// One form POST to an OAuth endpoint and the reading of its answer: JSON on success, an
// OAuthClientError for an OAuth error body in either the RFC or ilert's layout, and an
// UnexpectedResponseError for anything else.
import { basicAuthorization } from './encoding.ts';
import { OAuthClientError, UnexpectedResponseError } from './errors.ts';
import { fetchOf, type ClientConfig } from './config.ts';

export type JsonObject = Record<string, unknown>;

/** RFC 6749 error codes are printable ASCII without spaces; ilert's `error` holds a sentence instead. */
const ERROR_CODE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * The OAuth error in a body. RFC 6749 puts the code in `error`; ilert documents
 * `{"code": "invalid_grant", "error": "Provided code is unknown"}`; Gatehouse sends both.
 */
export function oauthErrorFrom(body: JsonObject, status: number | undefined): OAuthClientError | undefined {
  const error = str(body.error);
  const code = error !== undefined && ERROR_CODE.test(error) ? error : str(body.code);
  if (code === undefined) return undefined;
  const description = str(body.error_description) ?? (error !== undefined && error !== code ? error : undefined);
  return new OAuthClientError(code, description, status, str(body.error_uri));
}

async function readJson(response: Response): Promise<JsonObject | undefined> {
  const text = await response.text();
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** Adds the client's identity (and secret, per its method) to a request's form and headers. */
export function authenticateClient(config: ClientConfig, form: URLSearchParams, headers: Headers): void {
  if (config.clientSecret !== undefined && config.clientAuthMethod === 'client_secret_basic') {
    headers.set('authorization', basicAuthorization(config.clientId, config.clientSecret));
    return;
  }
  form.set('client_id', config.clientId);
  if (config.clientSecret !== undefined) form.set('client_secret', config.clientSecret);
}

/**
 * POSTs a form and returns the JSON object of a 2xx answer. With `authenticate` (the default) the
 * client's credentials go along; token_info takes the token alone.
 */
export async function postClientForm(
  config: ClientConfig,
  url: string,
  params: Record<string, string | undefined>,
  options: { authenticate?: boolean } = {},
): Promise<JsonObject> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) form.set(name, value);
  const headers = new Headers({ accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' });
  if (options.authenticate !== false) authenticateClient(config, form, headers);
  const response = await fetchOf(config)(url, { method: 'POST', headers, body: form.toString() });
  const body = await readJson(response);
  if (response.ok) {
    if (body === undefined) throw new UnexpectedResponseError(`${url} answered ${response.status} without a JSON object`, response.status);
    return body;
  }
  const error = body && oauthErrorFrom(body, response.status);
  if (error) throw error;
  throw new UnexpectedResponseError(`${url} answered ${response.status} without an OAuth error`, response.status);
}
