// Metrics at the HTTP edge: every response is counted and timed by route pattern and status (and
// OAuth errors by code), and GET /metrics answers requests bearing the metrics token.
import type { FastifyInstance } from 'fastify';
import { METRICS_CONTENT_TYPE, bearsToken } from '../ops/metrics-format.ts';
import type { ServerMetrics } from '../ops/metrics.ts';
import { oauthErrorSent } from './errors.ts';
import type { Route } from './route.ts';

export interface MetricsEndpoint {
  token: string;
  text(): Promise<string>;
}

export interface MetricsSetup {
  metrics: ServerMetrics;
  /**
   * Serve GET /metrics on this app to requests bearing `token`, answering with `text()` (this
   * process's metrics, or a cluster's aggregate). Unset: no /metrics here (another port serves it).
   */
  endpoint?: MetricsEndpoint;
}

export function registerMetrics(app: FastifyInstance, { metrics }: MetricsSetup): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const error = oauthErrorSent(reply);
    if (error !== undefined) metrics.oauthError(route, error);
  });
}

export function metricsRoutes(endpoint: MetricsEndpoint): Route[] {
  return [
    {
      method: 'GET',
      path: '/metrics',
      surface: 'page',
      cors: 'none',
      operation: {
        id: 'metrics',
        tag: 'Operations',
        summary: 'Prometheus metrics (only when GATEHOUSE_METRICS_TOKEN is set and no metrics port)',
        security: ['metricsToken'],
        responses: { '200': { description: 'Prometheus text format', body: 'text' }, '401': { description: 'Missing or wrong bearer token', body: 'text' } },
      },
      handler: async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        if (!bearsToken(request.headers.authorization, endpoint.token)) {
          return reply.status(401).header('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain; charset=utf-8').send('A bearer token is required\n');
        }
        return reply.type(METRICS_CONTENT_TYPE).send(await endpoint.text());
      },
    },
  ];
}
