// Prometheus metrics of one process (prom-client): HTTP requests by route pattern and status,
// the protocol's events (tokens, OAuth errors, sign-ins, reuse), live sessions, store operation
// latency, and Node's own (event-loop lag, memory, GC). One registry per instance, so tests and
// cluster workers each have their own; the cluster primary aggregates workers (cluster-metrics.ts).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LoginOutcome, Metrics } from '../oauth/metrics.ts';

export { METRICS_CONTENT_TYPE } from './metrics-format.ts';

/** Requests that matched no route share one label value, so scanners cannot blow up the series. */
export const UNMATCHED_ROUTE = 'unmatched';

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class ServerMetrics implements Metrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #requestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly #tokensIssued: Counter<'grant_type' | 'client_id'>;
  readonly #oauthErrors: Counter<'endpoint' | 'error'>;
  readonly #logins: Counter<'outcome'>;
  readonly #refreshReuse: Counter;
  readonly #codeReplays: Counter;
  readonly #storeDuration: Histogram<'operation' | 'outcome'>;
  #activeSessions: (() => Promise<number>) | undefined;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: 'gatehouse_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#requestDuration = new Histogram({
      name: 'gatehouse_http_request_duration_seconds',
      help: 'Time from receiving a request to sending its response, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.#tokensIssued = new Counter({
      name: 'gatehouse_tokens_issued_total',
      help: 'Token responses sent by the token endpoint, by grant type and client_id',
      labelNames: ['grant_type', 'client_id'],
      registers,
    });
    this.#oauthErrors = new Counter({
      name: 'gatehouse_oauth_errors_total',
      help: 'OAuth error responses by endpoint (route pattern) and error code',
      labelNames: ['endpoint', 'error'],
      registers,
    });
    this.#logins = new Counter({
      name: 'gatehouse_logins_total',
      help: 'Sign-in attempts by outcome: success, failure (wrong account, username or password), throttled (too many attempts)',
      labelNames: ['outcome'],
      registers,
    });
    this.#refreshReuse = new Counter({
      name: 'gatehouse_refresh_token_reuse_total',
      help: 'Spent refresh tokens used again outside the retry window (each revoked its token family)',
      registers,
    });
    this.#codeReplays = new Counter({
      name: 'gatehouse_code_replays_total',
      help: 'Authorization codes redeemed a second time (each revoked its token family)',
      registers,
    });
    this.#storeDuration = new Histogram({
      name: 'gatehouse_store_operation_duration_seconds',
      help: 'Time a store operation (one or a few queries, or a transaction) took, by operation and outcome',
      labelNames: ['operation', 'outcome'],
      buckets: STORE_BUCKETS,
      registers,
    });
    const readSessions = () => this.#activeSessions;
    new Gauge({
      name: 'gatehouse_active_sessions',
      help: 'Signed-in sessions that have not expired (read from the database at scrape time)',
      registers,
      // Every worker reads the same number from the same database: aggregate by max, not sum.
      aggregator: 'max',
      async collect() {
        const read = readSessions();
        if (!read) return;
        try {
          this.set(await read());
        } catch {
          // The database is away: keep the last value rather than failing the whole scrape.
        }
      },
    });
  }

  /** Where the active-sessions gauge reads its value at scrape time. */
  readActiveSessionsFrom(read: () => Promise<number>): void {
    this.#activeSessions = read;
  }

  observeRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    const labels = { method, route: route ?? UNMATCHED_ROUTE, status: String(status) };
    this.#requests.inc(labels);
    this.#requestDuration.observe(labels, seconds);
  }

  oauthError(endpoint: string | undefined, error: string): void {
    this.#oauthErrors.inc({ endpoint: endpoint ?? UNMATCHED_ROUTE, error });
  }

  observeStoreOperation(operation: string, outcome: 'ok' | 'error', seconds: number): void {
    this.#storeDuration.observe({ operation, outcome }, seconds);
  }

  tokensIssued(grantType: string, clientId: string): void {
    this.#tokensIssued.inc({ grant_type: grantType, client_id: clientId });
  }

  refreshTokenReuse(): void {
    this.#refreshReuse.inc();
  }

  codeReplay(): void {
    this.#codeReplays.inc();
  }

  login(outcome: LoginOutcome): void {
    this.#logins.inc({ outcome });
  }

  /** This process's metrics in Prometheus' text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
