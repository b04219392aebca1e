// Long polls of the revocation feed wait here. One poll of the store per process (not per waiter),
// every POLL_MS while anyone waits: it sequences new entries (any instance may write them) and
// wakes every waiter when the feed's head moved, so a revocation anywhere reaches a waiting
// resource server within a fraction of a second. Closing wakes everyone at once (shutdown).
import type { Store } from '../store/store.ts';
import type { OAuthContext } from './context.ts';

export const POLL_MS = 200;

interface Waiter {
  head: number;
  wake: () => void;
}

export class FeedWatch {
  readonly #store: Store;
  readonly #waiters = new Set<Waiter>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(store: Store) {
    this.#store = store;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves when the feed's head passes `head`, after `ms`, on `signal`, or when closed; whichever is first. */
  waitPast(head: number, ms: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timeout);
        signal?.removeEventListener('abort', done);
        this.#waiters.delete(waiter);
        resolve();
      };
      const waiter: Waiter = { head, wake: done };
      const timeout = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.#waiters.add(waiter);
      this.#schedule();
    });
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const waiter of [...this.#waiters]) waiter.wake();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => void this.#poll(), POLL_MS);
  }

  async #poll(): Promise<void> {
    try {
      const head = await this.#store.revocationFeed.sequence();
      for (const waiter of [...this.#waiters]) if (head > waiter.head) waiter.wake();
    } catch {
      // A failed poll (the database away for a moment) is tried again; waiters time out meanwhile.
    } finally {
      this.#timer = undefined;
      if (this.#waiters.size > 0) this.#schedule();
    }
  }
}

const watches = new WeakMap<OAuthContext, FeedWatch>();

/** The watch of an app's context: one per process and app, closed with the app. */
export function feedWatchFor(ctx: OAuthContext): FeedWatch {
  let watch = watches.get(ctx);
  if (!watch) watches.set(ctx, (watch = new FeedWatch(ctx.store)));
  return watch;
}
