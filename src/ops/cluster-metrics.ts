// Metrics with `--workers N`: each worker counts for itself, and a scrape gets the sum over all
// workers. The primary aggregates them (prom-client's AggregatorRegistry over cluster IPC); a
// worker asked for /metrics on the shared port relays the request to the primary.
import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { ServerMetrics } from './metrics.ts';

const REQUEST = 'gatehouse:metrics-request';
const RESPONSE = 'gatehouse:metrics-response';
const RELAY_TIMEOUT_MS = 10_000;

interface RelayRequest {
  type: typeof REQUEST;
  id: number;
}

interface RelayResponse {
  type: typeof RESPONSE;
  id: number;
  text?: string;
  error?: string;
}

const isRelayRequest = (message: unknown): message is RelayRequest => (message as RelayRequest | null)?.type === REQUEST;
const isRelayResponse = (message: unknown): message is RelayResponse => (message as RelayResponse | null)?.type === RESPONSE;

/**
 * In the primary: the workers' metrics, summed (gauges as each declares). Also answers workers
 * that relay a scrape of the shared port. Call before forking.
 */
export function aggregateWorkerMetrics(): { text(): Promise<string> } {
  const aggregator = new AggregatorRegistry();
  const text = () => aggregator.clusterMetrics();
  cluster.on('message', (worker, message: unknown) => {
    if (!isRelayRequest(message)) return;
    text().then(
      (metrics) => worker.isConnected() && worker.send({ type: RESPONSE, id: message.id, text: metrics } satisfies RelayResponse),
      (error: unknown) => worker.isConnected() && worker.send({ type: RESPONSE, id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies RelayResponse),
    );
  });
  return { text };
}

/** In a worker: offers this worker's registry to the primary, and relays scrapes of the shared port to it. */
export function workerMetricsSource(metrics: ServerMetrics): { text(): Promise<string> } {
  // Constructing an AggregatorRegistry in a worker installs prom-client's answer to the primary.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([metrics.registry]);
  let next = 0;
  const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  process.on('message', (message: unknown) => {
    if (!isRelayResponse(message)) return;
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.text !== undefined) waiting.resolve(message.text);
    else waiting.reject(new Error(`the primary could not aggregate the metrics: ${message.error ?? 'no answer'}`));
  });
  return {
    text: () =>
      new Promise<string>((resolve, reject) => {
        const id = next++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error('the primary did not answer with the metrics in time'));
        }, RELAY_TIMEOUT_MS);
        pending.set(id, { resolve, reject, timer });
        process.send?.({ type: REQUEST, id } satisfies RelayRequest);
      }),
  };
}
