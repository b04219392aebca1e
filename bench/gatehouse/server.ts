// Gatehouse as an operator runs it: accounts and apps made with the `gatehouse` CLI, then
// `gatehouse serve --workers N` in production mode (no demo, rate limits off, warn-level logs).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { onServerCores, type Pinning } from '../machine.ts';
import type { BenchAlg } from '../options.ts';
import { startServerProcess, type ServerProcess } from '../server-process.ts';
import { freePort } from '../../scripts/free-port.ts';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);

export const BENCH_TENANT = 'bench';
export const BENCH_USERNAME = 'alice';
export const BENCH_REDIRECT_URI = 'http://localhost:4597/callback';

export interface RegisteredApp {
  clientId: string;
  clientSecret: string;
}

export interface GatehouseSeed {
  password: string;
  /** Refresh rotation 'never' (ilert's behaviour): one refresh token serves every refresh request. */
  backend: RegisteredApp;
  /** A second app whose codes the exchange scenario spends, so its 10-live-tokens limit never touches the backend's tokens. */
  codeApp: RegisteredApp;
}

/** Runs `gatehouse …args --json` and parses what it prints. */
async function gatehouse<T>(entry: string, env: Record<string, string>, schema: z.ZodType<T>, ...args: string[]): Promise<T> {
  try {
    const { stdout } = await run(process.execPath, [entry, ...args, '--json'], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 });
    return schema.parse(JSON.parse(stdout));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`gatehouse ${args.slice(0, 2).join(' ')} failed: ${stderr || String(error)}`);
  }
}

const createdApp = z.object({ client_id: z.string(), client_secret: z.string() });

const keyRows = z.array(z.object({ kid: z.string(), alg: z.string(), state: z.string() }));

/**
 * Makes `alg` the signing algorithm the way an operator would: the first key is generated (RS256)
 * when the first command opens the store; `keys rotate --alg` then signs with a new key of `alg`
 * (the RS256 one stays in the JWKS, verifying, as after any rotation).
 */
async function signWith(entry: string, env: Record<string, string>, alg: BenchAlg): Promise<void> {
  const signingAlg = async () => (await gatehouse(entry, env, keyRows, 'keys', 'list')).find((k) => k.state === 'signing')?.alg;
  if ((await signingAlg()) === alg) return;
  await gatehouse(entry, env, z.object({ kid: z.string(), alg: z.literal(alg) }), 'keys', 'rotate', '--alg', alg);
  const now = await signingAlg();
  if (now !== alg) throw new Error(`after \`gatehouse keys rotate --alg ${alg}\` the signing key is ${String(now)}`);
}

/** The schema, the tenant, its user and the two apps, and the signing algorithm, through the CLI. */
export async function seedWithCli(entry: string, env: Record<string, string>, alg: BenchAlg): Promise<GatehouseSeed> {
  const password = randomBytes(18).toString('base64url');
  // As an operator prepares a new database: migrate first (the other commands need its schema).
  await gatehouse(entry, env, z.object({ applied: z.array(z.string()) }), 'migrate');
  await gatehouse(entry, env, z.object({ slug: z.string() }), 'tenants', 'create', BENCH_TENANT, '--name', 'Benchmark Inc');
  await gatehouse(entry, env, z.object({ id: z.number() }), 'users', 'create', '--tenant', BENCH_TENANT, '--username', BENCH_USERNAME, '--password', password,
    '--email', 'alice@bench.example', '--first-name', 'Alice', '--last-name', 'Bench', '--role', 'ADMIN');
  const app = async (name: string, rotation: string) => {
    const created = await gatehouse(entry, env, createdApp, 'apps', 'create', '--tenant', BENCH_TENANT, '--name', name, '--redirect-uri', BENCH_REDIRECT_URI, '--refresh-rotation', rotation);
    return { clientId: created.client_id, clientSecret: created.client_secret };
  };
  const seed = { password, backend: await app('Bench backend', 'never'), codeApp: await app('Bench code exchange', 'public') };
  await signWith(entry, env, alg);
  return seed;
}

/** The environment of every gatehouse process in the run (CLI and server). */
export function gatehouseEnv(database: Record<string, string>): Record<string, string> {
  return {
    ...database,
    GATEHOUSE_SECRET: randomBytes(24).toString('base64url'),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    GATEHOUSE_RATE_LIMITS: 'off',
    GATEHOUSE_WORKERS: '',
    GATEHOUSE_CONFIG: '',
    REDIS_URL: '',
    PUBLIC_URL: '',
  };
}

export async function startGatehouse(entry: string, env: Record<string, string>, workers: number, pinning: Pinning, cpuProfDir?: string): Promise<ServerProcess> {
  const port = await freePort();
  const profile = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  return startServerProcess({
    name: 'gatehouse',
    command: onServerCores(pinning, [process.execPath, ...profile, entry, 'serve', '--port', String(port), '--host', '127.0.0.1', '--workers', String(workers)]),
    env: { ...process.env, ...env },
    url: `http://127.0.0.1:${port}`,
    healthPath: '/healthz',
    // The primary prints its banner once every worker listens: only then is load spread evenly.
    ready: /Gatehouse is listening on/,
  });
}
