// Where a serving process's metrics go, by configuration: off (neither GATEHOUSE_METRICS_TOKEN nor
// GATEHOUSE_METRICS_PORT), on the main port behind the token, or on their own port. With workers,
// the primary aggregates and serves the metrics port; workers relay token-guarded scrapes to it.
import cluster from 'node:cluster';
import type { Config } from '../config.ts';
import type { Logger } from '../ops/logger.ts';
import type { MetricsSetup } from '../http/metrics-routes.ts';
import { startMetricsServer, type MetricsServer } from '../ops/metrics-server.ts';
import type { Store } from '../store/store.ts';
import { listenError } from './startup-errors.ts';

type MetricsConfig = Pick<Config, 'metricsToken' | 'metricsPort' | 'metricsHost'>;

export const metricsEnabled = (config: MetricsConfig): boolean => config.metricsToken !== undefined || config.metricsPort !== undefined;

export interface ProcessMetrics {
  /** For buildApp. */
  setup: MetricsSetup;
  /** Wraps the store so its operations are timed; reads live sessions from the unwrapped one. */
  wrapStore(store: Store): Store;
  /** Starts the metrics port when this process serves it (a single process; never a worker). */
  listen(log: Logger): Promise<MetricsServer | undefined>;
}

/**
 * The metrics of a process that serves requests, or undefined when metrics are off. prom-client
 * is loaded only then: it costs every process ~15 MB.
 */
export async function processMetrics(config: MetricsConfig): Promise<ProcessMetrics | undefined> {
  if (!metricsEnabled(config)) return undefined;
  const [{ ServerMetrics }, { workerMetricsSource }, { meteredStore }] = await Promise.all([
    import('../ops/metrics.ts'),
    import('../ops/cluster-metrics.ts'),
    import('../ops/metered-store.ts'),
  ]);
  const metrics = new ServerMetrics();
  const source = cluster.isWorker ? workerMetricsSource(metrics) : { text: () => metrics.text() };
  const onMainPort = config.metricsToken !== undefined && config.metricsPort === undefined;
  return {
    setup: { metrics, endpoint: onMainPort && config.metricsToken !== undefined ? { token: config.metricsToken, text: source.text } : undefined },
    wrapStore(store) {
      metrics.readActiveSessionsFrom(() => store.status.activeSessions(new Date()));
      return meteredStore(store, metrics);
    },
    listen: (log) => (cluster.isWorker ? Promise.resolve(undefined) : listenForMetrics(config, source.text, log)),
  };
}

/** In the primary of `--workers N`: aggregates the workers, and serves the metrics port if configured. Call before forking. */
export async function primaryMetrics(config: MetricsConfig, log: Logger): Promise<MetricsServer | undefined> {
  if (!metricsEnabled(config)) return undefined;
  const { aggregateWorkerMetrics } = await import('../ops/cluster-metrics.ts');
  return listenForMetrics(config, aggregateWorkerMetrics().text, log);
}

async function listenForMetrics(config: MetricsConfig, text: () => Promise<string>, log: Logger): Promise<MetricsServer | undefined> {
  if (config.metricsPort === undefined) return undefined;
  const server = await startMetricsServer({ host: config.metricsHost, port: config.metricsPort, token: config.metricsToken, text, log }).catch((error: unknown) => {
    throw listenError(error, 'GATEHOUSE_METRICS_PORT', config.metricsHost, config.metricsPort ?? 0);
  });
  log.info({ address: `${config.metricsHost}:${server.port}` }, 'metrics listening');
  return server;
}
