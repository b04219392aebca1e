// Starts race-worker.ts processes and talks to them: one JSON line out, one JSON line back.
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { WorkerCommand, WorkerTask } from './race-ops.ts';
import { spawnTracked } from '../helpers/processes.ts';

const WORKER = join(import.meta.dirname, 'race-worker.ts');

type Reply = Record<string, unknown>;

export interface WorkerProcess {
  /** The worker's first line, once it is ready (an instance's carries its port). */
  ready: Promise<Reply>;
  /** Sends a command; resolves with the worker's answer (rejects on `{error}`). */
  send(command: WorkerCommand): Promise<Reply>;
  /** Closes stdin (an instance stops) and waits for the process to end. */
  stop(): Promise<void>;
}

export function startWorker(task: WorkerTask): WorkerProcess {
  const child = spawnTracked(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(task)]);
  child.stderr.pipe(process.stderr);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const queued: Reply[] = [];
  const waiting: ((reply: Reply) => void)[] = [];
  let ended = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = JSON.parse(line) as Reply;
    const next = waiting.shift();
    if (next) next(reply);
    else queued.push(reply);
  });
  child.once('exit', (code) => {
    ended = true;
    for (const w of waiting.splice(0)) w({ error: `worker exited with ${code}` });
  });
  const nextReply = () =>
    new Promise<Reply>((resolve, reject) => {
      const settle = (reply: Reply) => (typeof reply.error === 'string' ? reject(new Error(`worker: ${reply.error}`)) : resolve(reply));
      const reply = queued.shift();
      if (reply) settle(reply);
      else if (ended) reject(new Error('worker has exited'));
      else waiting.push(settle);
    });
  const ready = nextReply();
  let last: Promise<unknown> = ready;
  return {
    ready,
    send(command) {
      // Answers come back in order; each send takes the answer after the previous one.
      const answer = last.then(() => {
        child.stdin.write(`${JSON.stringify(command)}\n`);
        return nextReply();
      });
      last = answer.catch(() => undefined);
      return answer;
    },
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}
