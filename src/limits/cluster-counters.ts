// Counters shared by the workers of one `gatehouse serve --workers N` without Redis: the primary
// holds one MemoryCounters and answers its workers over cluster IPC, so a limit counts every
// worker's hits, not each worker's own. A worker whose primary does not answer counts in its own
// memory meanwhile (limits per worker, never none) and says so once.
import cluster from 'node:cluster';
import type { CounterState, Counters } from './counters.ts';
import { MemoryCounters } from './memory-counters.ts';

const REQUEST = 'gatehouse:counters-request';
const RESPONSE = 'gatehouse:counters-response';

/** The primary answers in microseconds; this long means it is stuck or gone. */
export const PRIMARY_ANSWER_TIMEOUT_MS = 2000;

type Operation =
  | { op: 'hit'; key: string; windowMs: number; by: number }
  | { op: 'block'; key: string; ms: number }
  | { op: 'blockedFor'; key: string }
  | { op: 'reset'; key: string };

export type CounterRequest = Operation & { type: typeof REQUEST; id: number };

export interface CounterResponse {
  type: typeof RESPONSE;
  id: number;
  result?: CounterState | number | null;
  error?: string;
}

const isRequest = (message: unknown): message is CounterRequest => (message as CounterRequest | null)?.type === REQUEST;
const isResponse = (message: unknown): message is CounterResponse => (message as CounterResponse | null)?.type === RESPONSE;

async function apply(counters: Counters, operation: Operation): Promise<CounterState | number | null> {
  switch (operation.op) {
    case 'hit':
      return counters.hit(operation.key, operation.windowMs, operation.by);
    case 'block':
      await counters.block(operation.key, operation.ms);
      return null;
    case 'blockedFor':
      return counters.blockedFor(operation.key);
    case 'reset':
      await counters.reset(operation.key);
      return null;
  }
}

/** The primary's answer to a message from a worker, or undefined when the message is not a counter request. */
export async function answerCounterRequest(counters: Counters, message: unknown): Promise<CounterResponse | undefined> {
  if (!isRequest(message)) return undefined;
  try {
    return { type: RESPONSE, id: message.id, result: await apply(counters, message) };
  } catch (error) {
    return { type: RESPONSE, id: message.id, error: error instanceof Error ? error.message : String(error) };
  }
}

/** In the primary, before forking: holds the counters every worker shares and answers their requests. */
export function serveCountersToWorkers(counters: Counters = new MemoryCounters()): Counters {
  cluster.on('message', (worker, message: unknown) => {
    void answerCounterRequest(counters, message).then((response) => {
      if (response && worker.isConnected()) worker.send(response);
    });
  });
  return counters;
}

interface Pending {
  resolve(result: CounterState | number | null): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface Channel {
  send(message: CounterRequest): boolean;
  connected(): boolean;
  onMessage(listener: (message: unknown) => void): void;
}

/** This worker's IPC channel to its primary. */
export const primaryChannel = (): Channel => ({
  send: (message) => process.send?.(message) ?? false,
  connected: () => process.connected === true,
  onMessage: (listener) => process.on('message', listener),
});

/** In a worker: counters that live in the primary. */
export class ClusterCounters implements Counters {
  private next = 0;
  private readonly pending = new Map<number, Pending>();
  private degraded = false;
  private reportFallback: (error: Error) => void = () => undefined;

  constructor(
    private readonly channel: Channel = primaryChannel(),
    private readonly fallback: Counters = new MemoryCounters(),
    private readonly timeoutMs = PRIMARY_ANSWER_TIMEOUT_MS,
  ) {
    channel.onMessage((message) => {
      if (!isResponse(message)) return;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      clearTimeout(waiting.timer);
      if (message.error === undefined) waiting.resolve(message.result ?? null);
      else waiting.reject(new Error(`the primary could not count: ${message.error}`));
    });
  }

  /** Where to say that the primary stopped answering (once, until it answers again). */
  reportFallbackTo(handler: (error: Error) => void): void {
    this.reportFallback = handler;
  }

  async hit(key: string, windowMs: number, by = 1): Promise<CounterState> {
    const operation: Operation = { op: 'hit', key, windowMs, by };
    return (await this.ask(operation)) as CounterState;
  }

  async block(key: string, ms: number): Promise<void> {
    await this.ask({ op: 'block', key, ms });
  }

  async blockedFor(key: string): Promise<number> {
    return (await this.ask({ op: 'blockedFor', key })) as number;
  }

  async reset(key: string): Promise<void> {
    await this.ask({ op: 'reset', key });
  }

  async close(): Promise<void> {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error('the counters were closed'));
      this.pending.delete(id);
    }
    await this.fallback.close();
  }

  /** The primary's answer, or this worker's own count when the primary cannot answer. */
  private async ask(operation: Operation): Promise<CounterState | number | null> {
    try {
      const result = await this.request(operation);
      this.degraded = false;
      return result;
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.reportFallback(error as Error);
      }
      return apply(this.fallback, operation);
    }
  }

  private request(operation: Operation): Promise<CounterState | number | null> {
    if (!this.channel.connected()) return Promise.reject(new Error('this worker has no channel to its primary'));
    return new Promise((resolve, reject) => {
      const id = this.next++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the primary did not answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.channel.send({ type: REQUEST, id, ...operation });
      } catch (error) {
        this.pending.delete(id);
        clearTimeout(timer);
        reject(error as Error);
      }
    });
  }
}
