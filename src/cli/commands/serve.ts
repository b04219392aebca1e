// `gatehouse serve`.
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_HOUSEKEEPING_INTERVAL_SECONDS } from '../../oauth/housekeeping.ts';
import { fail } from '../output.ts';
import { serve } from '../serve.ts';
import { config, dataDirOption } from '../shared.ts';

const MAX_WORKERS = 256;

/** --workers, else GATEHOUSE_WORKERS, else one per CPU. */
export function workerCount(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const [value, source] = flag !== undefined ? [flag, '--workers'] : env.GATEHOUSE_WORKERS ? [env.GATEHOUSE_WORKERS, 'GATEHOUSE_WORKERS'] : [];
  if (value === undefined) return availableParallelism();
  const count = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS) fail(`bad configuration:\n${source}: must be a whole number from 1 to ${MAX_WORKERS}`);
  return count;
}

/** GATEHOUSE_HOUSEKEEPING_INTERVAL: mean seconds between purges, 0 for none. */
function housekeepingInterval(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.GATEHOUSE_HOUSEKEEPING_INTERVAL;
  if (value === undefined || value === '') return DEFAULT_HOUSEKEEPING_INTERVAL_SECONDS;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(seconds)) fail('bad configuration:\nGATEHOUSE_HOUSEKEEPING_INTERVAL: must be a whole number of seconds (0 turns housekeeping off)');
  return seconds;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the server')
    .option('--port <port>', 'port to listen on (env PORT)')
    .option('--host <host>', 'address to bind (env HOST)')
    .option('--public-url <url>', 'public base URL and issuer (env PUBLIC_URL)')
    .option('--workers <n>', 'processes serving requests (env GATEHOUSE_WORKERS; default: one per CPU)')
    .addOption(dataDirOption())
    .option('--demo', 'seed demo data on an empty store and print its credentials')
    .action(async (o) =>
      serve(config(o), { demo: o.demo, workers: workerCount(o.workers), housekeepingIntervalSeconds: housekeepingInterval() }),
    );
}
