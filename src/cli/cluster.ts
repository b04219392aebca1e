// The primary process of `gatehouse serve --workers N`: forks N workers (node:cluster) that share
// the port, replaces a crashed worker with a back-off so a crash loop cannot spin, and on
// SIGTERM/SIGINT lets every worker finish its requests before the primary exits.
import cluster, { type Worker } from 'node:cluster';

export interface ClusterLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface SuperviseOptions {
  workers: number;
  log: ClusterLog;
  /** Called once, when every first-generation worker listens. */
  onReady(address: { address: string; port: number }): void;
  /** How long workers get to finish in-flight requests before they are killed. */
  graceMs?: number;
  /** A worker that ran this long before crashing resets the back-off. */
  stableMs?: number;
  firstRestartDelayMs?: number;
  maxRestartDelayMs?: number;
}

export const DEFAULT_GRACE_MS = 10_000;

/**
 * V8 lets a busy process grow its young generation to 16 MB per semi-space; a worker serving
 * token requests at full speed then held ~25 MB more than with 4 MB, for ~5 % more requests on
 * /api/users/current and none on authorize (docs/performance.md). An operator's own setting (in NODE_OPTIONS or on the command
 * line) wins.
 */
export const WORKER_SEMI_SPACE_MB = 4;

export function workerExecArgv(execArgv: readonly string[], nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  const setByOperator = [...execArgv, nodeOptions].some((arg) => /--max-semi-space-size\b/.test(arg));
  return setByOperator ? [...execArgv] : [...execArgv, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`];
}

/** Forks the workers and supervises them until a signal; the process exits from here. */
export function superviseWorkers(options: SuperviseOptions): void {
  const { log } = options;
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const stableMs = options.stableMs ?? 30_000;
  const firstDelay = options.firstRestartDelayMs ?? 250;
  const maxDelay = options.maxRestartDelayMs ?? 30_000;

  const live = new Set<Worker>();
  const startedAt = new Map<number, number>();
  const listened = new Set<number>();
  const restarts = new Set<NodeJS.Timeout>();
  let ready = false;
  let stopping = false;
  let exitCode = 0;
  let quickCrashes = 0;
  let forceTimer: NodeJS.Timeout | undefined;

  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv) });
  const fork = () => {
    const worker = cluster.fork();
    live.add(worker);
    startedAt.set(worker.id, Date.now());
  };

  const finish = () => {
    clearTimeout(forceTimer);
    log.info({ exitCode }, exitCode === 0 ? 'all workers stopped' : 'workers stopped with errors');
    process.exit(exitCode);
  };

  const shutdown = (reason: string, code = 0) => {
    if (stopping) {
      // A second signal: the operator does not want to wait.
      log.warn({ reason }, 'stopping now: killing the workers');
      exitCode = 1;
      for (const worker of live) worker.process.kill('SIGKILL');
      return;
    }
    stopping = true;
    exitCode = code;
    log.info({ reason, workers: live.size }, 'shutting down: workers finish their requests');
    for (const timer of restarts) clearTimeout(timer);
    restarts.clear();
    if (live.size === 0) return finish();
    for (const worker of live) worker.process.kill('SIGTERM');
    forceTimer = setTimeout(() => {
      log.error({ graceMs, workers: live.size }, 'workers did not stop within the grace period; killing them');
      exitCode = 1;
      for (const worker of live) worker.process.kill('SIGKILL');
    }, graceMs);
  };

  cluster.on('listening', (worker, address) => {
    listened.add(worker.id);
    if (ready || stopping) return;
    if ([...live].every((w) => listened.has(w.id))) {
      ready = true;
      options.onReady({ address: address.address ?? '', port: address.port });
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    const pid = worker.process.pid;
    if (stopping) {
      // Workers stop with 0 after a clean close; a signal we sent before a worker installed its handlers is fine too.
      if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGINT') exitCode = 1;
      if (live.size === 0) finish();
      return;
    }
    if (!ready && !listened.has(worker.id)) {
      // Every worker runs the same code on the same config: if one cannot start, none will.
      log.error({ worker: pid, code, signal }, 'a worker failed to start; stopping');
      shutdown('worker failed to start', 1);
      return;
    }
    quickCrashes = lived >= stableMs ? 1 : quickCrashes + 1;
    const delay = Math.min(maxDelay, firstDelay * 2 ** (quickCrashes - 1));
    log.warn({ worker: pid, code, signal, restartInMs: delay }, 'worker exited; starting a replacement');
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (!stopping) fork();
    }, delay);
    restarts.add(timer);
  });

  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  for (let i = 0; i < options.workers; i++) fork();
}
