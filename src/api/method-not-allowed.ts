// 405 with an Allow header for methods a resource path does not support, in the API's
// {status, message, code} shape (the not-found handler would otherwise say 404).
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { sendApiError } from '../http/errors.ts';

const ROUTABLE: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function registerMethodNotAllowed(app: FastifyInstance, url: string, allowed: HTTPMethods[]): void {
  const others = ROUTABLE.filter((method) => !allowed.includes(method));
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  app.route({
    method: others,
    url,
    handler: async (request, reply) =>
      sendApiError(reply.header('Allow', allow), 405, 'METHOD_NOT_ALLOWED', `${request.method} is not supported here; use ${allowed.join(', ')}`),
  });
}
