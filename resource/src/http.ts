// The kit's calls to the authorization server: JSON in, JSON out, each with a timeout, and every
// failure an AuthorizationServerError naming the URL and, when the server sent one, its OAuth code.
import { AuthorizationServerError } from './failures.ts';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
export type JsonObject = Record<string, unknown>;

/** A resource server's credentials (`gatehouse resources create`), for the revocation feed and introspection. */
export interface Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** HTTP Basic per RFC 6749 §2.3.1: each part form-url-encoded before base64. */
export function basicAuthorization({ clientId, clientSecret }: Credentials): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

export interface CallOptions {
  fetch: FetchLike;
  timeoutMs: number;
  /** Aborts the call (close() ends a long poll this way). */
  signal?: AbortSignal;
  headers?: Record<string, string>;
  body?: string;
  method?: 'GET' | 'POST';
}

const asObject = (value: unknown): JsonObject | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;

/** Calls `url` and returns the JSON object of a 2xx answer; throws AuthorizationServerError otherwise. */
export async function callJson(url: string, options: CallOptions): Promise<JsonObject> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(url, {
      method: options.method ?? 'GET',
      headers: { accept: 'application/json', ...options.headers },
      ...(options.body === undefined ? {} : { body: options.body }),
      signal,
      // The contract has no redirects, and the feed's credentials must never follow one elsewhere.
      redirect: 'error',
    });
    text = await response.text();
  } catch (cause) {
    const why = timeout.aborted ? `no answer within ${options.timeoutMs} ms` : 'the request failed';
    throw new AuthorizationServerError(`${url}: ${why}`, undefined, undefined, { cause });
  }
  let body: JsonObject | undefined;
  try {
    body = asObject(JSON.parse(text));
  } catch {
    body = undefined;
  }
  if (response.ok && body) return body;
  const code = typeof body?.error === 'string' ? body.error : undefined;
  const detail = code ? ` ${code}` : response.ok ? ' without a JSON object' : '';
  throw new AuthorizationServerError(`${url} answered ${response.status}${detail}`, response.status, code);
}
