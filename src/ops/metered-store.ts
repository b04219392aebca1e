// The store with every operation timed for the metrics (gatehouse_store_operation_duration_seconds
// by `area.method`). A wrapper rather than a query hook: one operation is what a request waits
// for, however many statements it runs, and the store itself stays free of metrics.
import type { Store } from '../store/store.ts';
import type { ServerMetrics } from './metrics.ts';

type Operation = (...args: unknown[]) => unknown;

function timed(name: string, operation: Operation, self: object, metrics: ServerMetrics): Operation {
  return (...args) => {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    let result: unknown;
    try {
      result = operation.apply(self, args);
    } catch (error) {
      metrics.observeStoreOperation(name, 'error', seconds());
      throw error;
    }
    if (!(result instanceof Promise)) {
      metrics.observeStoreOperation(name, 'ok', seconds());
      return result;
    }
    return result.then(
      (value: unknown) => {
        metrics.observeStoreOperation(name, 'ok', seconds());
        return value;
      },
      (error: unknown) => {
        metrics.observeStoreOperation(name, 'error', seconds());
        throw error;
      },
    );
  };
}

/** A Store whose area methods (store.apps.byClientId, …) report their latency; `close` is passed through. */
export function meteredStore(store: Store, metrics: ServerMetrics): Store {
  const wrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(store)) {
    if (value === null || typeof value !== 'object') {
      wrapped[key] = value;
      continue;
    }
    const area: Record<string, unknown> = {};
    for (const [method, member] of Object.entries(value as Record<string, unknown>)) {
      area[method] = typeof member === 'function' ? timed(`${key}.${method}`, member as Operation, value as object, metrics) : member;
    }
    wrapped[key] = area;
  }
  return wrapped as unknown as Store;
}
