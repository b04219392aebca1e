// A stand-in for a worker's IPC channel to its primary: requests are answered asynchronously by
// the primary's own code over a MemoryCounters, or not at all (a primary that is stuck).
import { answerCounterRequest, type Channel, type CounterRequest } from '../../src/limits/cluster-counters.ts';
import type { Counters } from '../../src/limits/counters.ts';

export function channelTo(primary: Counters, options: { answering?: () => boolean; connected?: boolean } = {}): Channel & { sent: number } {
  const listeners: ((message: unknown) => void)[] = [];
  const channel = {
    sent: 0,
    send(message: CounterRequest) {
      channel.sent++;
      if (options.answering?.() === false) return true;
      // Through a serialisation, as over IPC, and on a later turn of the event loop.
      const copy = JSON.parse(JSON.stringify(message)) as unknown;
      setImmediate(() => void answerCounterRequest(primary, copy).then((response) => response && listeners.forEach((listener) => listener(JSON.parse(JSON.stringify(response))))));
      return true;
    },
    connected: () => options.connected ?? true,
    onMessage: (listener: (message: unknown) => void) => void listeners.push(listener),
  };
  return channel;
}
