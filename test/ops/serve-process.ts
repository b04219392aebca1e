// A real `gatehouse serve` child process for operations tests: started on a free port with a
// fresh data dir, waited for until /healthz answers, its output kept, its exit code observable.
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/free-port.ts';
import { spawnTracked } from '../helpers/processes.ts';

export const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');

/** Settings of the developer's shell that must not leak into a test's server. */
export const CLEAN_ENV: Record<string, string> = {
  GATEHOUSE_SECRET: '',
  DATABASE_URL: '',
  GATEHOUSE_WORKERS: '',
  GATEHOUSE_CONFIG: '',
  GATEHOUSE_METRICS_TOKEN: '',
  GATEHOUSE_METRICS_PORT: '',
  GATEHOUSE_CIMD_ALLOW_LOOPBACK: '',
  GATEHOUSE_LOG_FORMAT: 'json',
  LOG_LEVEL: 'info',
  PORT: '',
  HOST: '',
  PUBLIC_URL: '',
};

export interface Served {
  port: number;
  url: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends `signal` and waits for the exit (SIGKILL after `killAfterMs`). */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<number | null>;
}

/**
 * Starts the server; resolves once /healthz answers and, if given, `ready` appears in its output.
 * A fresh data dir is removed at exit; `keptDataDir` is the caller's to inspect and remove.
 */
export async function serve(args: string[] = [], env: Record<string, string> = {}, ready?: RegExp, keptDataDir?: string): Promise<Served> {
  const port = await freePort();
  const dataDir = keptDataDir ?? mkdtempSync(join(tmpdir(), 'gatehouse-ops-'));
  const child = spawnTracked(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', ...args], {
    env: { ...process.env, ...CLEAN_ENV, GATEHOUSE_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (keptDataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const served: Served = {
    port,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM', killAfterMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((ready === undefined || ready.test(output)) && (await fetch(`${served.url}/healthz`)).status === 200) return served;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await served.stop('SIGKILL');
  throw new Error(`gatehouse serve did not become healthy:\n${output}`);
}
