// A separate listener for /metrics (GATEHOUSE_METRICS_PORT), usually on loopback or an internal
// interface, so scrapers never share the public port. Requires the metrics token when one is set.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.ts';
import { METRICS_CONTENT_TYPE, bearsToken } from './metrics-format.ts';

export interface MetricsServerOptions {
  host: string;
  port: number;
  token?: string;
  text(): Promise<string>;
  log: Logger;
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?', 1)[0];
    response.setHeader('Cache-Control', 'no-store');
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found: the metrics are at /metrics\n');
      return;
    }
    if (options.token !== undefined && !bearsToken(request.headers.authorization, options.token)) {
      response.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="metrics"' }).end('A bearer token is required\n');
      return;
    }
    options.text().then(
      (text) => response.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE }).end(request.method === 'HEAD' ? undefined : text),
      (error: unknown) => {
        options.log.error({ err: error }, 'could not collect metrics');
        response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Could not collect the metrics\n');
      },
    );
  });
  // Scrapes are short; a connection left open must not hold up shutdown.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
