// Time comes through this seam so tests can move it (code expiry, token lifetimes).

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private current: number;
  private tickMs = 0;

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    this.current += this.tickMs;
    return new Date(this.current);
  }

  /** Moves the clock this many milliseconds on every reading, as a real clock moves while a request runs (0: stands still). */
  tickOnEveryReading(ms: number): void {
    this.tickMs = ms;
  }

  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}
