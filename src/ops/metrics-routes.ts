// Metrics at the HTTP edge: every response is counted and timed by route pattern and status (and
// OAuth errors by code), and GET /metrics answers requests bearing the metrics token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { oauthErrorSent } from '../http/errors.ts';
import { METRICS_CONTENT_TYPE } from './metrics-format.ts';
import type { ServerMetrics } from './metrics.ts';

export interface MetricsSetup {
  metrics: ServerMetrics;
  /**
   * Serve GET /metrics on this app to requests bearing `token`, answering with `text()` (this
   * process's metrics, or a cluster's aggregate). Unset: no /metrics here (another port serves it).
   */
  endpoint?: { token: string; text(): Promise<string> };
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Whether an Authorization header bears `token`, compared in constant time. */
export function bearsToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

export function registerMetrics(app: FastifyInstance, { metrics, endpoint }: MetricsSetup): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const error = oauthErrorSent(reply);
    if (error !== undefined) metrics.oauthError(route, error);
  });
  if (!endpoint) return;
  app.get('/metrics', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    if (!bearsToken(request.headers.authorization, endpoint.token)) {
      return reply.status(401).header('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain; charset=utf-8').send('A bearer token is required\n');
    }
    return reply.type(METRICS_CONTENT_TYPE).send(await endpoint.text());
  });
}
