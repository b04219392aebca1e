// Real `gatehouse` processes for multi-instance tests: one-shot CLI commands, and servers that
// are started on a free port, waited for, and always stopped (tracked from the spawn on, so a
// test that times out mid-start leaves no server behind).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnTracked, stopTracked } from '../helpers/processes.ts';

const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');
const run = promisify(execFile);

/** Runs `gatehouse …args` to completion and returns its stdout; throws with its stderr on failure. */
export async function gatehouse(env: Record<string, string>, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 20_000 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`gatehouse ${args[0] ?? ''} ${args[1] ?? ''} failed: ${stderr || String(error)}`);
  }
}

export interface RunningServer {
  url: string;
  /** What the process wrote so far (logs at LOG_LEVEL=warn: no tokens), for failure messages. */
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL: no shutdown work at all, as a crash or an OOM kill. */
  kill(): Promise<void>;
}

/** Starts `gatehouse serve` and resolves once /healthz answers. */
export async function startServer(env: Record<string, string>, port: number, extraArgs: string[] = []): Promise<RunningServer> {
  const child = spawnTracked(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', ...extraArgs], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const server: RunningServer = {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => void (await stopTracked(child)),
    kill: async () => void (await stopTracked(child, 'SIGKILL')),
  };
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      if ((await fetch(`${server.url}/healthz`)).status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop();
  throw new Error(`gatehouse serve on port ${port} did not become healthy:\n${output}`);
}
