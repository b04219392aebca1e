// The rate limits: request rates per IP (ilert's "usual request limits"), and failure limits
// with growing delays for password, second-factor code and client-secret guessing.
import type { Counters } from './counters.ts';

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

export interface Limits {
  /** Authorization endpoint and sign-in pages, per IP (ilert: UI 250/min). */
  pagesPerIp: RateRule;
  /** Token, token_info, revoke and the resource API, per IP (ilert: API 700/min). */
  apiPerIp: RateRule;
  /** Failed sign-ins per account+username before delays start. */
  loginFailuresPerUser: RateRule;
  /** Failed sign-ins per IP before delays start. */
  loginFailuresPerIp: RateRule;
  /** Wrong client secrets per client before delays start. */
  secretFailuresPerClient: RateRule;
  /** Wrong client secrets per IP before delays start. */
  secretFailuresPerIp: RateRule;
  /** Wrong user codes on /device per IP before delays start (RFC 8628 §5.1). */
  userCodeFailuresPerIp: RateRule;
  /** Wrong user codes on /device per session before delays start. */
  userCodeFailuresPerSession: RateRule;
  /** Wrong second-factor codes (TOTP, recovery) per user before delays start. */
  mfaFailuresPerUser: RateRule;
  /** Wrong second-factor codes per IP before delays start. */
  mfaFailuresPerIp: RateRule;
  /** Client registrations per IP when anyone may register (GATEHOUSE_REGISTRATION=open). */
  registrationsPerIp: RateRule;
  /** The longest block a run of failures earns, in seconds. */
  maxBlockSeconds: number;
}

export const DEFAULT_LIMITS: Limits = {
  pagesPerIp: { limit: 250, windowSeconds: 60 },
  apiPerIp: { limit: 700, windowSeconds: 60 },
  loginFailuresPerUser: { limit: 5, windowSeconds: 900 },
  loginFailuresPerIp: { limit: 20, windowSeconds: 900 },
  secretFailuresPerClient: { limit: 10, windowSeconds: 300 },
  secretFailuresPerIp: { limit: 20, windowSeconds: 300 },
  userCodeFailuresPerIp: { limit: 20, windowSeconds: 900 },
  userCodeFailuresPerSession: { limit: 5, windowSeconds: 900 },
  mfaFailuresPerUser: { limit: 5, windowSeconds: 900 },
  mfaFailuresPerIp: { limit: 20, windowSeconds: 900 },
  registrationsPerIp: { limit: 20, windowSeconds: 3600 },
  maxBlockSeconds: 900,
};

export type RequestRule = 'pagesPerIp' | 'apiPerIp' | 'registrationsPerIp';
export type FailureRule = 'loginFailuresPerUser' | 'loginFailuresPerIp' | 'secretFailuresPerClient' | 'secretFailuresPerIp' | 'userCodeFailuresPerIp' | 'userCodeFailuresPerSession' | 'mfaFailuresPerUser' | 'mfaFailuresPerIp';

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const ALLOWED: Verdict = { allowed: true };
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** "1 second", "8 seconds": how long a throttled caller waits, as every 429 message says it. */
export const waitInWords = (retryAfterSeconds: number): string => `${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}`;

export class RateLimiter {
  private reportError: (error: unknown) => void = () => undefined;

  constructor(
    private readonly counters: Counters,
    private readonly limits: Limits = DEFAULT_LIMITS,
    readonly enabled = true,
  ) {}

  /** Where to report counter failures (Redis away): the limits then let requests through. */
  reportErrorsTo(handler: (error: unknown) => void): void {
    this.reportError = handler;
  }

  /** Where to report that the counters fell back to this process's memory (the primary of the workers away). */
  reportFallbacksTo(handler: (error: Error) => void): void {
    this.counters.reportFallbackTo?.(handler);
  }

  /** Limits must not take the server down with them: a counter failure allows the request. */
  private async guarded<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.reportError(error);
      return fallback;
    }
  }

  /** Counts one request against a per-IP rate. */
  async request(rule: RequestRule, key: string): Promise<Verdict> {
    if (!this.enabled) return ALLOWED;
    const { limit, windowSeconds } = this.limits[rule];
    return this.guarded(async () => {
      const state = await this.counters.hit(`${rule}:${key}`, windowSeconds * 1000);
      return state.count <= limit ? ALLOWED : { allowed: false, retryAfterSeconds: seconds(state.resetMs) };
    }, ALLOWED);
  }

  /** Whether earlier failures keep this key waiting; ask before checking a password or secret. */
  async waiting(rule: FailureRule, key: string): Promise<Verdict> {
    if (!this.enabled) return ALLOWED;
    return this.guarded(async () => {
      const ms = await this.counters.blockedFor(`${rule}:block:${key}`);
      return ms > 0 ? { allowed: false, retryAfterSeconds: seconds(ms) } : ALLOWED;
    }, ALLOWED);
  }

  /**
   * Records a failure. Past the rule's limit each further failure blocks the key for a delay that
   * doubles (1 s, 2 s, 4 s … up to maxBlockSeconds), so guessing slows down quickly while a
   * person who mistyped a few times is not locked out.
   */
  async failure(rule: FailureRule, key: string): Promise<void> {
    if (!this.enabled) return;
    const { limit, windowSeconds } = this.limits[rule];
    await this.guarded(async () => {
      const { count } = await this.counters.hit(`${rule}:${key}`, windowSeconds * 1000);
      if (count < limit) return;
      const delaySeconds = Math.min(this.limits.maxBlockSeconds, 2 ** Math.min(30, count - limit));
      await this.counters.block(`${rule}:block:${key}`, delaySeconds * 1000);
    }, undefined);
  }

  /** Forgets the failures of a key after a success (per user or client, not per IP). */
  async success(rule: FailureRule, key: string): Promise<void> {
    if (!this.enabled) return;
    await this.guarded(async () => {
      await this.counters.reset(`${rule}:${key}`);
      await this.counters.reset(`${rule}:block:${key}`);
    }, undefined);
  }

  close(): Promise<void> {
    return this.counters.close();
  }
}

/** The longest wait among several verdicts: the one to report. */
export function strictest(...verdicts: Verdict[]): Verdict {
  let worst: Verdict = ALLOWED;
  for (const v of verdicts) if (!v.allowed && (worst.allowed || v.retryAfterSeconds > worst.retryAfterSeconds)) worst = v;
  return worst;
}
