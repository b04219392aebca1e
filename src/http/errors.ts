// Error bodies. OAuth endpoints: {error, error_description, code} (RFC 6749 clients read `error`,
// ilert's read `code`). Resource API: ilert's {status, message, code}. Pages: an HTML page. Which
// one a request gets is its route's declared surface (route-index.ts).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../oauth/errors.ts';
import { errorPage } from '../pages/message.ts';
import { pathOf, type RouteIndex } from './route-index.ts';
import type { Surface } from './route.ts';
import { noStore, pageHeaders } from './security-headers.ts';
import { sendPage } from './send-page.ts';

/** The OAuth error code each reply carried, for metrics (errors by code) without parsing bodies. */
const oauthErrorCodes = new WeakMap<FastifyReply, string>();

export function oauthErrorSent(reply: FastifyReply): string | undefined {
  return oauthErrorCodes.get(reply);
}

export function sendOAuthError(reply: FastifyReply, error: OAuthError, viaBasic = false): FastifyReply {
  oauthErrorCodes.set(reply, error.code);
  noStore(reply);
  if (error.code === 'invalid_client' && viaBasic) reply.header('WWW-Authenticate', 'Basic realm="gatehouse", charset="UTF-8"');
  return reply
    .status(error.status)
    .type('application/json; charset=utf-8')
    .send({ error: error.code, error_description: error.description, code: error.code });
}

export function sendApiError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply.status(status).type('application/json; charset=utf-8').send({ status, message, code, ...extra });
}

export function sendErrorPage(reply: FastifyReply, status: number, title: string, message: string, hint?: string): FastifyReply {
  return sendPage(reply, status, errorPage(title, message, hint));
}

/** What a framework-level failure (bad body, too large, wrong type) means to the client. */
function describe(error: FastifyError): { status: number; message: string } {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: 'The request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: 'Unsupported content type; send application/x-www-form-urlencoded or application/json' };
    default:
      return { status: 400, message: 'The request could not be read' };
  }
}

/**
 * For Fastify's `frameworkErrors` option (a URL that cannot be decoded, e.g. `/api/%zz`): the
 * same body as every other error of the surface, instead of Fastify's own `{statusCode, code}`.
 * No hooks run for these, so the request id, CORS and page headers are set here.
 */
export function frameworkErrorHandler(index: RouteIndex) {
  return (_error: Error, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const message = 'The request URL could not be read';
    const { surface, cors } = index.at(pathOf(request.url));
    reply.header('X-Request-Id', request.id);
    if (cors === 'public') reply.header('Access-Control-Allow-Origin', '*');
    if (surface === 'oauth') return sendOAuthError(reply, new OAuthError('invalid_request', message));
    if (surface === 'api') return sendApiError(reply, 400, 'BAD_REQUEST', message);
    pageHeaders(reply);
    return sendErrorPage(reply, 400, 'Bad request', message);
  };
}

/** Node's socket errors when the database host refuses, drops or never answers a connection. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** pg's own wording for a connection that was cut, never opened in time, or went silent. */
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable/i;

/**
 * Whether an error means the database is unreachable for now (an outage, a restart, a full
 * server) rather than a bug: PostgreSQL's connection classes 08xxx and 57P01-57P03 (shutdown,
 * crash, starting up), 53300 (too many connections), SQLite's busy timeout, and socket errors.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, message, errors, cause } = error as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300') return true;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return true;
  }
  if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true;
  // A connection attempt to several addresses fails with an AggregateError of each attempt.
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

/** The answer while the database is down: fast, retryable, in the body shape of the surface. */
function sendUnavailable(reply: FastifyReply, surface: Surface): FastifyReply {
  const message = 'The service is temporarily unavailable; try again shortly';
  reply.header('Retry-After', '5');
  if (surface === 'oauth') return sendOAuthError(reply, new OAuthError('temporarily_unavailable', message));
  if (surface === 'api') return sendApiError(reply, 503, 'SERVICE_UNAVAILABLE', message);
  noStore(reply);
  return sendErrorPage(reply, 503, 'Temporarily unavailable', 'Gatehouse cannot reach its database right now.', 'Try again in a moment.');
}

/** Every error answer, in the body of the surface the request's declaration names (route-index.ts). */
export function registerErrorHandlers(app: FastifyInstance, index: RouteIndex): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { surface } = index.governing(request);
    if (isDatabaseUnavailable(error)) {
      // One line, no stack: an outage is an operations event, not a bug to debug.
      const code = typeof error.code === 'string' ? error.code : undefined;
      request.log.error({ dbError: code, reason: error.message }, 'database unavailable: request answered 503');
      return sendUnavailable(reply, surface);
    }
    if (error instanceof OAuthError && error.status < 500) {
      if (surface === 'oauth') return sendOAuthError(reply, error);
      if (surface === 'api') return sendApiError(reply, error.status, 'BAD_REQUEST', error.description);
      return sendErrorPage(reply, error.status, 'Bad request', error.description);
    }
    const clientError = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500;
    if (!clientError) {
      request.log.error({ err: error }, 'request failed');
      if (surface === 'oauth') return sendOAuthError(reply, new OAuthError('server_error', 'The server could not complete the request'));
      if (surface === 'api') return sendApiError(reply, 500, 'INTERNAL_ERROR', 'The server could not complete the request');
      return sendErrorPage(reply, 500, 'Something went wrong', 'The server could not complete the request. Try again.');
    }
    const { status, message } = describe(error);
    if (surface === 'oauth') return sendOAuthError(reply, new OAuthError('invalid_request', message, { status }));
    if (surface === 'api') return sendApiError(reply, status, 'BAD_REQUEST', message);
    return sendErrorPage(reply, status, 'Bad request', message);
  });

  app.setNotFoundHandler((request, reply) => {
    const { surface } = index.governing(request);
    if (surface === 'page') return sendErrorPage(reply, 404, 'Not found', 'There is no page at this address.');
    if (surface === 'oauth') return sendOAuthError(reply, new OAuthError('invalid_request', 'Unknown endpoint', { status: 404 }));
    return sendApiError(reply, 404, 'NOT_FOUND', 'Not found');
  });
}
