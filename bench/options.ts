// `npm run bench -- [options]`: command-line flags → validated benchmark options.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SCENARIO_NAMES } from './scenarios.ts';

/** What both servers sign access tokens with: Gatehouse supports these three, and so does the peer. */
export const BENCH_ALGS = ['RS256', 'ES256', 'EdDSA'] as const;
export type BenchAlg = (typeof BENCH_ALGS)[number];

export interface BenchOptions {
  db: 'sqlite' | 'postgres';
  /** Seconds each measured run lasts. */
  duration: number;
  /** Seconds of unmeasured load before the runs of each scenario. */
  warmup: number;
  runs: number;
  connections: number;
  /** Serving processes of Gatehouse, and of the peer. */
  workers: number;
  /** Only these scenarios (default: all). */
  scenarios: string[];
  /** The JWS algorithm of both servers' access tokens (RS256: RSA-2048; ES256: P-256; EdDSA: Ed25519). */
  alg: BenchAlg;
  /** Pin the load generator and the servers to separate cores when taskset exists. */
  pin: boolean;
  smoke: boolean;
  /** Where the JSON and markdown go. */
  outDir: string;
  /** Gatehouse's serving processes write V8 CPU profiles here (node --cpu-prof). */
  cpuProfDir?: string;
  /** Measure resource servers too (bench/resources/): the kit's cost and the feed's delay. */
  resources: boolean;
}

export const USAGE = `npm run bench -- [options]
  --db sqlite|postgres   store (default sqlite; postgres uses a fresh database on 127.0.0.1:5432)
  --duration S           seconds per measured run (default 10)
  --warmup S             seconds of load before each scenario's runs, on each server (default 10)
  --runs N               measured runs per scenario; the table shows medians (default 3)
  --connections C        concurrent connections (default 16; smoke: 4)
  --workers N            serving processes for Gatehouse and for the peer (default: one per CPU)
  --scenario NAME        only this scenario (repeat for several): ${SCENARIO_NAMES.join(', ')}
  --alg ALG              access tokens signed with ${BENCH_ALGS.join(', ')} on both servers (default RS256)
  --no-pin               do not pin the load generator and the servers to separate cores
  --smoke                1 run of 2 s per scenario with 4 connections, no warm-up: checks the harness works
  --out DIR              where results go (default bench/results)
  --cpu-prof DIR         write CPU profiles of Gatehouse's serving processes to DIR
  --no-resources         skip the resource-server part (the notes API with and without the kit, the feed's delay)`;

const count = (what: string, min: number, max: number) =>
  z.coerce.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`).min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`);

const schema = z.object({
  db: z.enum(['sqlite', 'postgres'], { error: '--db must be sqlite or postgres' }).default('sqlite'),
  duration: count('--duration', 1, 3600).optional(),
  warmup: count('--warmup', 0, 600).optional(),
  runs: count('--runs', 1, 100).optional(),
  connections: count('--connections', 1, 1024).optional(),
  workers: count('--workers', 1, 64).default(availableParallelism()),
  scenario: z.array(z.enum(SCENARIO_NAMES, { error: `--scenario must be one of ${SCENARIO_NAMES.join(', ')}` })).default([]),
  alg: z.enum(BENCH_ALGS, { error: `--alg must be one of ${BENCH_ALGS.join(', ')}` }).default('RS256'),
  pin: z.boolean().default(true),
  smoke: z.boolean().default(false),
  out: z.string().min(1).default(join(import.meta.dirname, 'results')),
  'cpu-prof': z.string().min(1).optional(),
});

export class UsageError extends Error {}

export function parseOptions(argv: string[]): BenchOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        db: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        runs: { type: 'string' },
        connections: { type: 'string' },
        workers: { type: 'string' },
        scenario: { type: 'string', multiple: true },
        alg: { type: 'string' },
        pin: { type: 'boolean' },
        'no-pin': { type: 'boolean' },
        smoke: { type: 'boolean' },
        out: { type: 'string' },
        'cpu-prof': { type: 'string' },
        'no-resources': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  if (values['no-pin']) values.pin = false;
  delete values['no-pin'];
  const resources = values['no-resources'] !== true;
  delete values['no-resources'];
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw new UsageError(`${parsed.error.issues.map((i) => i.message).join('\n')}\n\n${USAGE}`);
  const o = parsed.data;
  return {
    db: o.db,
    // A smoke run checks that the harness works, on a CI machine busy with other tests: long
    // enough, and few enough connections, that even a password login (argon2id) completes.
    duration: o.duration ?? (o.smoke ? 2 : 10),
    warmup: o.warmup ?? (o.smoke ? 0 : 10),
    runs: o.runs ?? (o.smoke ? 1 : 3),
    connections: o.connections ?? (o.smoke ? 4 : 16),
    workers: o.workers,
    scenarios: o.scenario.length > 0 ? [...new Set(o.scenario)] : [...SCENARIO_NAMES],
    alg: o.alg,
    pin: o.pin,
    smoke: o.smoke,
    outDir: o.out,
    cpuProfDir: o['cpu-prof'],
    // Measured with the full set of scenarios; a run limited to some (--scenario) skips it.
    resources: resources && o.scenario.length === 0,
  };
}
