// Expiring counters behind the rate limits: in process memory, or in Redis so that limits hold
// across instances. Keys are opaque strings built by the limiter; values never hold secrets.

export interface CounterState {
  count: number;
  /** Milliseconds until the window (or block) ends. */
  resetMs: number;
}

export interface Counters {
  /** Adds `by` to a counter whose window starts at its first hit and lasts `windowMs`. */
  hit(key: string, windowMs: number, by?: number): Promise<CounterState>;
  /** Marks a key blocked for `ms` (replacing a shorter or longer block). */
  block(key: string, ms: number): Promise<void>;
  /** Milliseconds a key stays blocked, or 0. */
  blockedFor(key: string): Promise<number>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
  /** For counters that count somewhere else when their home is away (cluster-counters.ts): where to say so. */
  reportFallbackTo?(handler: (error: Error) => void): void;
}
