// A server under test as a child process: started (on the servers' cores), waited for until it
// answers, its process tree (primary and cluster workers) listed for RSS, and always stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /**
   * The Node.js processes of the server as they are now: the primary and its cluster workers
   * (tsx's esbuild helper processes are left out: a built deployment has none).
   */
  pids(): number[];
  /** Those of `pids()` that serve requests: the workers, or the one process without workers. */
  servingPids(): number[];
  /** The last output, for failure messages (servers run at LOG_LEVEL=warn: no tokens). */
  output(): string;
  stop(): Promise<void>;
}

/** Child pids of `pid`, from /proc (Linux); empty elsewhere. */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .split(' ')
        .map(Number)
        .filter((n) => n > 0),
    );
  } catch {
    return [];
  }
}

export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i] ?? 0));
  return all;
}

const isNode = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node';
  } catch {
    return false;
  }
};

export const nodeProcesses = (pid: number) => processTree(pid).filter(isNode);

export interface StartOptions {
  name: string;
  command: string[];
  env: Record<string, string | undefined>;
  url: string;
  /** A path that answers 200 once the server listens. */
  healthPath: string;
  /** Output that says every worker listens (a cluster hands connections only to listening workers). */
  ready: RegExp;
  timeoutMs?: number;
}

export async function startServerProcess(o: StartOptions): Promise<ServerProcess> {
  const [file, ...args] = o.command;
  if (!file) throw new Error('no command');
  const child = spawn(file, args, { env: o.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let ready = false;
  const keep = (chunk: Buffer) => {
    output = (output + String(chunk)).slice(-20_000);
    ready ||= o.ready.test(output);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const server: ServerProcess = {
    name: o.name,
    url: o.url,
    pid: child.pid ?? 0,
    pids: () => nodeProcesses(child.pid ?? 0),
    servingPids: () => {
      const all = nodeProcesses(child.pid ?? 0);
      return all.length > 1 ? all.filter((pid) => pid !== child.pid) : all;
    },
    output: () => output,
    stop: () => stopProcess(child),
  };
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(new URL(o.healthPath, o.url));
      await response.arrayBuffer();
      if (response.status === 200 && ready) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop();
  throw new Error(`${o.name} did not start (exit code ${child.exitCode}):\n${output}`);
}

/** SIGTERM (a cluster primary lets its workers finish), then SIGKILL after 15 s. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
