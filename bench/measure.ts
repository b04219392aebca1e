// Measuring a scenario: a warm-up, then measured runs. Gatehouse's runs and the peer's alternate
// (G, P, G, P, …) so that load from elsewhere on the machine falls on both alike.
import { runLoad, summarize, type RunStats, type Summary } from './load.ts';
import type { BenchOptions } from './options.ts';
import type { Workload } from './scenarios.ts';
import type { ServerProcess } from './server-process.ts';

/** When measured runs happened, on the clock V8 stamps CPU profiles with (CLOCK_MONOTONIC, µs). */
export interface LoadWindow {
  scenario: string;
  startUs: number;
  endUs: number;
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

export class Measurement {
  /** Sizes pools of single-use inputs: the best rate seen so far. */
  private expectedRate = 1000;
  private readonly runs: RunStats[] = [];

  constructor(
    private readonly server: ServerProcess,
    private readonly o: BenchOptions,
    readonly label: string,
    private readonly workload: (seconds: number, expectedRate: number) => Promise<Workload>,
    private readonly log: (line: string) => void,
    private readonly windows?: LoadWindow[],
  ) {}

  async warmUp(): Promise<void> {
    if (this.o.warmup <= 0) return;
    const warm = await runLoad(this.server, await this.workload(this.o.warmup, this.expectedRate), { seconds: this.o.warmup, connections: this.o.connections });
    if (warm) this.expectedRate = Math.max(this.expectedRate, warm.rps);
  }

  /** One measured run; a run whose pool of single-use inputs ran out is repeated with a bigger pool. */
  async run(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const workload = await this.workload(this.o.duration, this.expectedRate);
      const startUs = monotonicUs();
      const stats = await runLoad(this.server, workload, { seconds: this.o.duration, connections: this.o.connections });
      if (stats) {
        this.windows?.push({ scenario: this.label, startUs, endUs: monotonicUs() });
        this.runs.push(stats);
        this.expectedRate = Math.max(this.expectedRate, stats.rps);
        const bad = stats.errors + Object.values(stats.unexpected).reduce((a, b) => a + b, 0);
        this.log(`${this.label} run ${this.runs.length}/${this.o.runs}: ${stats.rps} req/s, p99 ${stats.p99Ms} ms, RSS ${stats.rss.maxPerProcessMb} MB${bad ? `, ${bad} errors` : ''}`);
        return;
      }
      if (attempt === 3) throw new Error(`${this.label}: ran out of single-use inputs three times`);
      this.expectedRate *= 2;
      this.log(`${this.label}: the pool ran out; again with a pool for ${this.expectedRate} req/s`);
    }
  }

  summary(): Summary {
    return summarize(this.runs);
  }
}

/** Warms each up, then alternates their runs. */
export async function measureSideBySide(measurements: Measurement[], runs: number): Promise<Summary[]> {
  for (const m of measurements) await m.warmUp();
  for (let i = 0; i < runs; i++) for (const m of measurements) await m.run();
  return measurements.map((m) => m.summary());
}
