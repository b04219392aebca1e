// `gatehouse serve`: one process, or a primary and N workers (cluster.ts) sharing the port. Each
// serving process opens the store, runs housekeeping, and on SIGTERM/SIGINT stops accepting
// connections, lets in-flight requests finish within the grace period, closes the store, exits 0.
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { startHousekeeping } from '../platform/housekeeping.ts';
import { createLogger } from '../ops/logger.ts';
import type { MetricsServer } from '../ops/metrics-server.ts';
import { superviseWorkers } from './cluster.ts';
import { seedDemo, type DemoState } from './demo.ts';
import { describeDemo } from './demo-banner.ts';
import { serveCountersToWorkers } from '../limits/cluster-counters.ts';
import { countersInPrimary, openRuntime } from './runtime.ts';
import { primaryMetrics, processMetrics } from './serve-metrics.ts';
import { listenError } from './startup-errors.ts';
import { CIMD_LOOPBACK_WARNING } from '../oauth/client-documents/development-warning.ts';

export interface ServeOptions {
  demo?: boolean;
}

/** The primary waits a little longer than its workers, so a worker's own grace period ends first. */
const PRIMARY_EXTRA_GRACE_MS = 2000;

export async function serve(config: Config, options: ServeOptions): Promise<void> {
  if (cluster.isWorker) return serveRequests(config, options, { primary: false });
  if (config.workers <= 1) return serveRequests(config, options, { primary: true });
  return servePrimary(config, options);
}

/**
 * The primary migrates, makes sure a signing key exists and seeds the demo, all once, so the
 * workers start on a ready store and never race each other for it; then it only supervises (and
 * aggregates the workers' metrics and holds their rate-limit counters).
 */
async function servePrimary(config: Config, options: ServeOptions): Promise<void> {
  const runtime = await openRuntime(config, { create: true });
  let demo: DemoState | undefined;
  try {
    demo = options.demo ? await seedDemo(runtime.ctx, config.dataDir) : undefined;
  } finally {
    await runtime.close();
  }
  const log = createLogger({ ...config, base: { role: 'primary' } });
  await primaryMetrics(config, log);
  if (countersInPrimary(config)) serveCountersToWorkers();
  superviseWorkers({
    workers: config.workers,
    log,
    graceMs: config.shutdownGraceSeconds * 1000 + PRIMARY_EXTRA_GRACE_MS,
    onReady: ({ port }) => printBanner(config, port, demo, config.workers),
  });
}

/** Serves HTTP from this process: the single server, or one worker of many. */
async function serveRequests(config: Config, options: ServeOptions, { primary }: { primary: boolean }): Promise<void> {
  let stop: ((signal: string) => Promise<void>) | undefined;
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Nothing is in flight before the server listens: just go.
    if (!stop) process.exit(0);
    void stop(signal);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const log = createLogger({ ...config, base: cluster.isWorker ? { role: 'worker' } : {} });
  const metrics = await processMetrics(config);
  const runtime = await openRuntime(config, { create: true, wrapStore: metrics?.wrapStore });
  const { ctx } = runtime;
  const app = await buildApp({ config, store: ctx.store, keys: ctx.keys, limiter: runtime.limiter, tokenKey: ctx.tokenKey, log, metrics: metrics?.setup });
  ctx.keys.reportReloadErrorsTo((err) => app.log.warn({ err }, 'could not reload signing keys'));
  runtime.limiter.reportErrorsTo((err) => app.log.warn({ err }, 'rate-limit counters unavailable; letting the request through'));
  runtime.limiter.reportFallbacksTo((err) => app.log.warn({ err }, 'the primary does not answer for the rate-limit counters; counting in this worker until it does'));
  if (!config.rateLimits) app.log.warn('RATE LIMITS ARE OFF (GATEHOUSE_RATE_LIMITS=off): password and client-secret guessing are not slowed down. Use this for benchmarks only.');
  if (config.cimdAllowLoopback) app.log.warn(CIMD_LOOPBACK_WARNING);
  const demo = primary && options.demo ? await seedDemo(ctx, config.dataDir) : undefined;
  const housekeeping = startHousekeeping(ctx, app.log, { intervalSeconds: config.housekeepingIntervalSeconds });

  let metricsServer: MetricsServer | undefined;
  const giveUp = async (error: Error): Promise<never> => {
    await housekeeping.stop();
    await metricsServer?.close();
    await app.close();
    await runtime.close();
    throw error;
  };
  // The metrics port first: a start-up that fails does so before the public port takes traffic.
  metricsServer = await metrics?.listen(log).catch((error: Error) => giveUp(error));
  await app.listen({ port: config.port, host: config.host }).catch((error: unknown) => giveUp(listenError(error, 'PORT', config.host, config.port)));

  stop = async (signal: string) => {
    const graceMs = config.shutdownGraceSeconds * 1000;
    app.log.info({ signal, graceMs }, 'shutting down: no new connections, finishing requests in flight');
    // A request that never finishes must not keep the process from stopping.
    setTimeout(() => {
      app.log.error({ graceMs }, 'requests did not finish within the grace period; exiting');
      process.exit(1);
    }, graceMs).unref();
    // Stop accepting at once; in-flight requests finish while housekeeping winds down.
    const closing = app.close();
    await housekeeping.stop();
    await closing;
    await metricsServer?.close();
    await runtime.close();
    app.log.info('stopped');
    process.exit(0);
  };
  if (stopping) return void stop('signal during startup');
  if (primary) printBanner(config, (app.server.address() as AddressInfo).port, demo, 1);
}

function printBanner(config: Config, port: number, demo: DemoState | undefined, workers: number): void {
  process.stdout.write(`\nGatehouse is listening on http://${config.host}:${port} (public URL ${config.publicUrl})\n`);
  if (workers > 1) process.stdout.write(`Workers: ${workers} processes\n`);
  if (config.databaseUrl === undefined) process.stdout.write(`Data: SQLite in ${config.dataDir}\n`);
  if (!config.rateLimits) process.stdout.write('WARNING: rate limits are OFF (GATEHOUSE_RATE_LIMITS=off). Never run it so in production.\n');
  if (config.cimdAllowLoopback) process.stdout.write(`WARNING: ${CIMD_LOOPBACK_WARNING}\n`);
  if (demo) process.stdout.write(describeDemo(demo, config.publicUrl));
}
