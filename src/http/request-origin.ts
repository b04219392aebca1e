// Where a request came from (client address, user agent), as plain values the core can record.
import type { FastifyRequest } from 'fastify';
import type { RequestOrigin } from '../domain/audit.ts';

export function requestOrigin(request: FastifyRequest): RequestOrigin {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined };
}
