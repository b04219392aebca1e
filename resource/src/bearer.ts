// Reading the bearer token of a request (RFC 6750 §2.1: the Authorization header only, the
// scheme in any case) and turning a refusal into its HTTP answer: status, WWW-Authenticate
// naming the RFC 9728 metadata, and a small JSON body.
import type { Failure, FailureReason } from './failures.ts';
import { wwwAuthenticate } from './metadata.ts';

/** Request headers as any framework holds them: Fetch `Headers`, or Node's lower-cased record. */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The HTTP answer to a refused request. */
export interface Refusal extends Failure {
  /** `www-authenticate` (400, 401, 403) or `retry-after` (503), lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  /** `{error, error_description}`, plus `scope` for insufficient_scope; `error` is `unauthorized` when no token was sent. */
  readonly body: { readonly error: string; readonly error_description: string; readonly scope?: string };
}

export interface ChallengeContext {
  readonly resourceMetadataUrl: string;
  readonly realm?: string;
}

/** RFC 6750 §2.1's b64token. */
const BEARER = /^bearer +([A-Za-z0-9._~+/-]+=*) *$/i;
/** Seconds a client should wait after a 503 before asking again. */
const RETRY_AFTER_SECONDS = '5';

function authorizationHeader(headers: HeaderSource): string | readonly string[] | undefined {
  if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).has === 'function') {
    return (headers as Headers).get('authorization') ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  if (record.authorization !== undefined) return record.authorization;
  const name = Object.keys(record).find((key) => key.toLowerCase() === 'authorization');
  return name === undefined ? undefined : record[name];
}

/** Whether the URL's query carries `access_token` (RFC 6750 §2.3, which this kit refuses). */
function tokenInQuery(url: string | undefined): boolean {
  if (url === undefined || !url.includes('access_token')) return false; // the usual case, without parsing
  const query = url.indexOf('?');
  return query !== -1 && new URLSearchParams(url.slice(query + 1)).has('access_token');
}

/** The request's token, or why there is none to verify. */
export function bearerToken(headers: HeaderSource, url?: string): { token: string } | { reason: FailureReason } {
  if (tokenInQuery(url)) return { reason: 'token_in_query' };
  const header = authorizationHeader(headers);
  if (header === undefined || header === '') return { reason: 'missing_token' };
  if (typeof header !== 'string') return { reason: 'malformed_header' }; // several Authorization headers
  const token = BEARER.exec(header)?.[1];
  return token === undefined ? { reason: 'malformed_header' } : { token };
}

/** The answer to a refused request. */
export function refusal(failure: Failure, context: ChallengeContext): Refusal {
  const body = {
    error: failure.error ?? 'unauthorized',
    error_description: failure.description,
    ...(failure.scope === undefined ? {} : { scope: failure.scope }),
  };
  if (failure.status === 503) return { ...failure, headers: { 'retry-after': RETRY_AFTER_SECONDS }, body };
  const challenge = wwwAuthenticate({
    resourceMetadata: context.resourceMetadataUrl,
    ...(context.realm === undefined ? {} : { realm: context.realm }),
    ...(failure.error === undefined ? {} : { error: failure.error, errorDescription: failure.description }),
    ...(failure.scope === undefined ? {} : { scope: failure.scope }),
  });
  return { ...failure, headers: { 'www-authenticate': challenge }, body };
}
