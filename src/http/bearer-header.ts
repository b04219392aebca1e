// Reading a bearer token the way every resource here does (RFC 6750 §2.1 only): from the
// Authorization header, scheme case-insensitive, never from the URL. Each caller words its own
// reply; the reasons and their messages are one.
import type { FastifyRequest } from 'fastify';

export type BearerProblem = { error: 'invalid_request' | undefined; message: string };

/** The token, or why there is none: in the URL or malformed (invalid_request), or absent (no error code, RFC 6750 §3.1). */
export function readBearer(request: FastifyRequest): { token: string } | BearerProblem {
  const query = request.query as Record<string, unknown> | undefined;
  if (query && Object.hasOwn(query, 'access_token')) return { error: 'invalid_request', message: 'Access tokens are accepted only in the Authorization header, never in the URL' };
  const header = request.headers.authorization;
  if (header === undefined) return { error: undefined, message: 'Missing Authorization header with a Bearer token' };
  const match = /^bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ? { token: match[1] } : { error: 'invalid_request', message: 'The Authorization header must be "Bearer <access token>"' };
}
