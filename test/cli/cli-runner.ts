// One-shot `gatehouse …` runs for CLI tests, tracked (test/helpers/processes.ts) and killed after
// a time limit, so a command that hangs fails its test instead of stalling the run.
import { join } from 'node:path';
import { spawnTracked, stopTracked } from '../helpers/processes.ts';

export const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `gatehouse …args` with `env` over the test's environment and resolves once its output is complete. */
export async function runCli(env: Record<string, string>, args: readonly string[], timeoutMs = 60_000): Promise<CliResult> {
  const child = spawnTracked(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  // 'close' comes after the output streams end, unlike 'exit'.
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const timer = setTimeout(() => void stopTracked(child, 'SIGKILL'), timeoutMs);
  const code = await closed;
  clearTimeout(timer);
  if (code === null) stderr += `\n(gatehouse ${args.join(' ')} was killed after ${timeoutMs} ms)`;
  return { code, stdout, stderr };
}
