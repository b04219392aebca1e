// `gatehouse serve`: one process, or a primary and N workers (cluster.ts) sharing the port. Each
// serving process opens the store, runs housekeeping, and stops cleanly on SIGINT/SIGTERM.
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { startHousekeeping } from '../oauth/housekeeping.ts';
import { createLogger } from '../ops/logger.ts';
import { DEFAULT_GRACE_MS, superviseWorkers } from './cluster.ts';
import { describeDemo, seedDemo, type DemoCredentials } from './demo.ts';
import { openRuntime } from './runtime.ts';
import { listenError } from './startup-errors.ts';

export interface ServeOptions {
  demo?: boolean;
}

export async function serve(config: Config, options: ServeOptions): Promise<void> {
  if (cluster.isWorker) return serveRequests(config, options, { primary: false });
  if (config.workers <= 1) return serveRequests(config, options, { primary: true });
  return servePrimary(config, options);
}

/**
 * The primary migrates, makes sure a signing key exists and seeds the demo, all once, so the
 * workers start on a ready store and never race each other for it; then it only supervises.
 */
async function servePrimary(config: Config, options: ServeOptions): Promise<void> {
  const runtime = await openRuntime(config);
  let demo: DemoCredentials | undefined;
  try {
    demo = options.demo ? await seedDemo(runtime.ctx, config.dataDir) : undefined;
  } finally {
    await runtime.close();
  }
  const log = createLogger({ ...config, base: { role: 'primary' } });
  superviseWorkers({
    workers: config.workers,
    log,
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

  const runtime = await openRuntime(config);
  const { ctx } = runtime;
  const log = createLogger({ ...config, base: cluster.isWorker ? { role: 'worker' } : {} });
  const app = await buildApp({ config, store: ctx.store, keys: ctx.keys, limiter: runtime.limiter, tokenKey: ctx.tokenKey, log });
  ctx.keys.reportReloadErrorsTo((err) => app.log.warn({ err }, 'could not reload signing keys'));
  runtime.limiter.reportErrorsTo((err) => app.log.warn({ err }, 'rate-limit counters unavailable; letting the request through'));
  if (!config.rateLimits) app.log.warn('RATE LIMITS ARE OFF (GATEHOUSE_RATE_LIMITS=off): password and client-secret guessing are not slowed down. Use this for benchmarks only.');
  const demo = primary && options.demo ? await seedDemo(ctx, config.dataDir) : undefined;
  const housekeeping = startHousekeeping(ctx, app.log, { intervalSeconds: config.housekeepingIntervalSeconds });

  await app.listen({ port: config.port, host: config.host }).catch(async (error: unknown) => {
    await housekeeping.stop();
    await runtime.close();
    throw listenError(error, 'PORT', config.host, config.port);
  });
  stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    // A request that never finishes must not keep the process from stopping.
    setTimeout(() => {
      app.log.error({ graceMs: DEFAULT_GRACE_MS }, 'requests did not finish within the grace period; exiting');
      process.exit(1);
    }, DEFAULT_GRACE_MS).unref();
    await housekeeping.stop();
    await app.close(); // stops accepting, lets in-flight requests finish
    await runtime.close();
    process.exit(0);
  };
  if (stopping) return void stop('signal during startup');
  if (primary) printBanner(config, (app.server.address() as AddressInfo).port, demo, 1);
}

function printBanner(config: Config, port: number, demo: DemoCredentials | undefined, workers: number): void {
  process.stdout.write(`\nGatehouse is listening on http://${config.host}:${port} (public URL ${config.publicUrl})\n`);
  if (workers > 1) process.stdout.write(`Workers: ${workers} processes\n`);
  if (config.databaseUrl === undefined) process.stdout.write(`Data: SQLite in ${config.dataDir}\n`);
  if (!config.rateLimits) process.stdout.write('WARNING: rate limits are OFF (GATEHOUSE_RATE_LIMITS=off). Never run it so in production.\n');
  if (demo) process.stdout.write(describeDemo(demo, config.publicUrl));
}
