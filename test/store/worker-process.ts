// Starts race-worker.ts processes and lets a test release them together.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { WorkerTask } from './race-worker.ts';

const WORKER = join(import.meta.dirname, 'race-worker.ts');

export interface WorkerProcess {
  /** The worker's first line, once it is ready (a server's carries its port). */
  ready: Promise<Record<string, unknown>>;
  /** The worker's second line: what it did. */
  result: Promise<Record<string, unknown>>;
  go(): void;
  /** Closes stdin (a server stops) and waits for the process to end. */
  stop(): Promise<void>;
}

export function startWorker(task: WorkerTask): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(task)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const replies: Record<string, unknown>[] = [];
  const waiting: ((reply: Record<string, unknown>) => void)[] = [];
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure = error;
    for (const w of waiting.splice(0)) w({ error: error.message });
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = JSON.parse(line) as Record<string, unknown>;
    const next = waiting.shift();
    if (next) next(reply);
    else replies.push(reply);
  });
  child.once('exit', (code) => failAll(new Error(`worker exited with ${code}`)));
  const nextReply = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const settle = (reply: Record<string, unknown>) => (typeof reply.error === 'string' ? reject(new Error(`worker: ${reply.error}`)) : resolve(reply));
      const queued = replies.shift();
      if (queued) settle(queued);
      else if (failure) reject(failure);
      else waiting.push(settle);
    });
  const ready = nextReply();
  const result = ready.then(nextReply);
  result.catch(() => undefined);
  return {
    ready,
    result,
    go: () => child.stdin.write('go\n'),
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

/** Starts the tasks, waits until every worker is ready, releases them at once, and collects results. */
export async function race(tasks: WorkerTask[]): Promise<Record<string, unknown>[]> {
  const workers = tasks.map(startWorker);
  try {
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    return await Promise.all(workers.map((w) => w.result));
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}
