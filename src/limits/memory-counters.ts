// Counters in this process's memory: per instance, bounded in size, expired lazily.
import type { CounterState, Counters } from './counters.ts';

interface Entry {
  count: number;
  expiresAt: number;
}

export class MemoryCounters implements Counters {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  async hit(key: string, windowMs: number, by = 1): Promise<CounterState> {
    const now = this.now();
    let entry = this.live(key, now);
    if (!entry) {
      this.makeRoom(now);
      entry = { count: 0, expiresAt: now + windowMs };
      this.entries.set(key, entry);
    }
    entry.count += by;
    return { count: entry.count, resetMs: entry.expiresAt - now };
  }

  async block(key: string, ms: number): Promise<void> {
    this.makeRoom(this.now());
    this.entries.set(key, { count: 1, expiresAt: this.now() + ms });
  }

  async blockedFor(key: string): Promise<number> {
    const now = this.now();
    const entry = this.live(key, now);
    return entry ? entry.expiresAt - now : 0;
  }

  async reset(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Keeps memory bounded: drop expired entries, then the oldest, when full. */
  private makeRoom(now: number): void {
    if (this.entries.size < this.maxKeys) return;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    const excess = this.entries.size - this.maxKeys + 1;
    if (excess <= 0) return;
    let dropped = 0;
    for (const key of this.entries.keys()) {
      if (dropped++ >= excess) break;
      this.entries.delete(key);
    }
  }
}
