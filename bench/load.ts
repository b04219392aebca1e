// One measured run: autocannon drives a workload for a fixed time and connection count while
// the server's RSS is sampled; the result counts only answers with the expected status as done.
import autocannon from 'autocannon';
import { sampleRss, type RssPeak } from './rss.ts';
import type { Workload } from './scenarios.ts';
import type { ServerProcess } from './server-process.ts';

export interface RunStats {
  /** Answers with the expected status per second. */
  rps: number;
  completed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Answers with another status, by status. */
  unexpected: Record<string, number>;
  rss: RssPeak;
}

export interface LoadOptions {
  seconds: number;
  connections: number;
}

/** Runs the workload; undefined when its pool of single-use inputs ran out before the time was up. */
export async function runLoad(server: ServerProcess, workload: Workload, o: LoadOptions): Promise<RunStats | undefined> {
  const rss = sampleRss(server);
  const instance = autocannon({
    url: server.url,
    connections: o.connections,
    duration: o.seconds,
    timeout: 10,
    requests: [workload.request],
  });
  if (workload.pool) workload.pool.onExhausted = () => instance.stop();
  const result = await instance;
  const peak = rss.stop();
  if (workload.pool?.exhausted) return undefined;
  const unexpected: Record<string, number> = {};
  let ok = 0;
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    if (Number(status) === workload.expectedStatus) ok += Number(count);
    else unexpected[status] = Number(count);
  }
  return {
    rps: Math.round(ok / result.duration),
    completed: ok,
    seconds: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    unexpected,
    rss: peak,
  };
}

export const badCount = (s: RunStats) => s.errors + Object.values(s.unexpected).reduce((a, b) => a + b, 0);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export interface Summary {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Errors and unexpected statuses over all runs. */
  bad: number;
  rssMaxPerProcessMb: number;
  rssMaxTotalMb: number;
  runs: RunStats[];
}

/** Medians over the runs for rate and latency; worst case for errors and memory. */
export function summarize(runs: RunStats[]): Summary {
  return {
    rps: Math.round(median(runs.map((r) => r.rps))),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    bad: runs.reduce((sum, r) => sum + badCount(r), 0),
    rssMaxPerProcessMb: Math.max(...runs.map((r) => r.rss.maxPerProcessMb)),
    rssMaxTotalMb: Math.max(...runs.map((r) => r.rss.maxTotalMb)),
    runs,
  };
}
