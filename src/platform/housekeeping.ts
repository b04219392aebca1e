// Runs the store's purge on a schedule in every server process. Purges are idempotent and batch
// bounded, so N workers on M machines may all run it; the jitter keeps them from running in step.
import type { PurgeCounts } from '../store/store.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { purgeUnusedClients } from './registration-purge.ts';

/** How long revocation feed entries are kept. */
export const FEED_RETENTION_MS = 2 * 86_400_000;

export const DEFAULT_HOUSEKEEPING_INTERVAL_SECONDS = 600;

/** How long an expired device code is kept (a late poll still hears expired_token, not invalid_grant). */
export const DEVICE_CODE_KEEP_MS = 3_600_000;

/** The few logger methods used (pino's shape); counts only, never a token or secret. */
export interface HousekeepingLog {
  info(details: object, message: string): void;
  debug(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface HousekeepingOptions {
  /** Mean seconds between purges; 0 turns the schedule off. */
  intervalSeconds?: number;
  /** Each wait is the interval times a random factor in [1 - jitter, 1 + jitter]. */
  jitter?: number;
  batchSize?: number;
  random?: () => number;
}

export interface Housekeeping {
  /** Purges now (joining a purge already under way). */
  runNow(): Promise<PurgeCounts | undefined>;
  /** Stops the schedule and waits for a purge under way, so the store can be closed after. */
  stop(): Promise<void>;
}

export function startHousekeeping(
  ctx: Pick<OAuthContext, 'store' | 'clock' | 'lifetimes'> & Partial<Pick<OAuthContext, 'registration' | 'audit'>>,
  log: HousekeepingLog,
  options: HousekeepingOptions = {},
): Housekeeping {
  const intervalMs = (options.intervalSeconds ?? DEFAULT_HOUSEKEEPING_INTERVAL_SECONDS) * 1000;
  const jitter = Math.min(Math.max(options.jitter ?? 0.25, 0), 1);
  const random = options.random ?? Math.random;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PurgeCounts | undefined> | undefined;
  let stopped = false;

  const purge = async (): Promise<PurgeCounts | undefined> => {
    const started = Date.now();
    try {
      const counts = await ctx.store.housekeeping.purge(ctx.clock.now(), options.batchSize, {
        accessTokenLifetimeSeconds: ctx.lifetimes.accessToken,
      });
      // Feed entries matter while a revoked family's access tokens could still be alive: at most a
      // resource's longest lifetime (a day); two days leaves followers that were away time to catch up.
      const revocations = await ctx.store.revocationFeed.prune(new Date(ctx.clock.now().getTime() - FEED_RETENTION_MS), options.batchSize);
      // A used assertion id matters only while its assertion could still be presented.
      const assertions = await ctx.store.clientAssertions.prune(ctx.clock.now(), options.batchSize);
      // Device codes live 10 minutes; kept an hour past expiry, like authorization codes.
      const deviceCodes = await ctx.store.deviceCodes.purge(new Date(ctx.clock.now().getTime() - DEVICE_CODE_KEEP_MS), options.batchSize);
      const unusedClients = await purgeUnusedClients(ctx, options.batchSize);
      // A WebAuthn challenge nobody answered within its 5 minutes.
      const challenges = await ctx.store.webauthnChallenges.prune(ctx.clock.now(), options.batchSize);
      const total = counts.codes + counts.sessions + counts.refreshTokens + counts.families + revocations + assertions + deviceCodes + unusedClients + challenges;
      (total > 0 ? log.info : log.debug).call(log, { ...counts, deviceCodes, revocations, assertions, unusedClients, challenges, ms: Date.now() - started }, 'housekeeping purged expired rows');
      return counts;
    } catch (error) {
      // The next run tries again; a database outage must not take the server down.
      log.warn({ error: error instanceof Error ? error.message : String(error) }, 'housekeeping failed');
      return undefined;
    }
  };

  const runNow = () => {
    running ??= purge().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = () => {
    if (stopped || intervalMs <= 0) return;
    const delay = intervalMs * (1 - jitter + 2 * jitter * random());
    timer = setTimeout(() => {
      void runNow().then(schedule);
    }, delay);
    // A pending purge must never keep a stopping process alive.
    timer.unref();
  };
  schedule();

  return {
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
