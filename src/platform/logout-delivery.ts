// Delivers the queued logout tokens (Back-Channel Logout 1.0 §2.5) in the background of every
// server process: a timer claims the due deliveries (one statement, so of several instances
// sharing the database one sends each), and ending a session wakes it at once for the first
// attempt. A failed attempt is retried with backoff, then given up on; each outcome is audited.
import type { App } from '../domain/app.ts';
import { secondsFrom, type OAuthContext } from '../oauth/context.ts';
import { mintLogoutToken } from '../oauth/logout-token.ts';
import type { LogoutDelivery } from '../store/logout-contract.ts';
import { DeliveryError, postLogoutToken, type BackchannelPostSettings } from './backchannel-post.ts';
import type { HousekeepingLog } from './housekeeping.ts';

/** Seconds to wait after the 1st, 2nd, … failed attempt; after the last, the delivery is given up. */
export const RETRY_DELAYS_SECONDS = [10, 60, 300, 1800, 7200] as const;
export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
/** A claimed delivery is not due again for this long: far longer than one attempt (5 s) takes. */
const CLAIM_LEASE_SECONDS = 60;
/** Deliveries one claim takes (sent at once); a full batch is followed by another claim. */
const BATCH_SIZE = 20;
const MAX_BATCHES_PER_RUN = 10;
export const DEFAULT_LOGOUT_DELIVERY_INTERVAL_SECONDS = 5;

export type DeliveryContext = Pick<OAuthContext, 'store' | 'keys' | 'clock' | 'issuer' | 'tokenKey'> & Partial<Pick<OAuthContext, 'audit' | 'clientDocuments'>>;

/** What one run did, by outcome. */
export interface DeliveryRun {
  delivered: number;
  retrying: number;
  failed: number;
}

export interface DeliveryOptions {
  /** Tests shorten the 5 s limit. */
  timeoutMs?: number;
}

/** How an app's URI is reached: guarded when the app registered itself (docs/security.md). */
function postSettings(app: App, ctx: DeliveryContext, options: DeliveryOptions): BackchannelPostSettings {
  const documents = ctx.clientDocuments?.settings;
  return { guarded: app.registration !== 'console', allowLoopback: documents?.allowLoopback ?? false, resolver: documents?.resolver, ca: documents?.ca, timeoutMs: options.timeoutMs };
}

async function deliverOne(delivery: LogoutDelivery, ctx: DeliveryContext, options: DeliveryOptions): Promise<keyof DeliveryRun | undefined> {
  const app = await ctx.store.apps.byId(delivery.appId);
  const uri = app?.backchannelLogoutUri;
  // The app took its URI away since: it wants no more logout tokens.
  if (!app || !uri) return void (await ctx.store.logouts.remove(delivery.id));
  const fields = { userId: delivery.userId, appId: app.id };
  try {
    // Minted for this attempt: a token sent hours later still has two minutes to live.
    await postLogoutToken(uri, mintLogoutToken({ app, userId: delivery.userId, sid: delivery.sid }, ctx), postSettings(app, ctx, options));
  } catch (error) {
    const problem = error instanceof DeliveryError ? error : new DeliveryError(error instanceof Error ? error.message : String(error));
    const delay = RETRY_DELAYS_SECONDS[delivery.attempts - 1];
    if (!problem.final && delay !== undefined) {
      await ctx.store.logouts.retryLater(delivery.id, problem.reason, secondsFrom(ctx.clock.now(), delay));
      return 'retrying';
    }
    const attempts = `${delivery.attempts} ${delivery.attempts === 1 ? 'attempt' : 'attempts'}`;
    // Audited before it leaves the queue: a delivery no longer queued has its outcome on record.
    await ctx.audit?.record('backchannel_logout_failed', { ...fields, detail: `to ${uri}: ${problem.reason}; gave up after ${attempts}` });
    await ctx.store.logouts.remove(delivery.id);
    return 'failed';
  }
  await ctx.audit?.record('backchannel_logout_delivered', { ...fields, detail: `to ${uri}` });
  await ctx.store.logouts.remove(delivery.id);
  return 'delivered';
}

/** Claims the deliveries due now and attempts each (a batch at once); what came of them. */
export async function deliverDueLogouts(ctx: DeliveryContext, options: DeliveryOptions = {}): Promise<DeliveryRun> {
  const run: DeliveryRun = { delivered: 0, retrying: 0, failed: 0 };
  for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch += 1) {
    const now = ctx.clock.now();
    const claimed = await ctx.store.logouts.claimDue(now, secondsFrom(now, CLAIM_LEASE_SECONDS), BATCH_SIZE);
    for (const outcome of await Promise.all(claimed.map((delivery) => deliverOne(delivery, ctx, options)))) if (outcome) run[outcome] += 1;
    if (claimed.length < BATCH_SIZE) break;
  }
  return run;
}

export interface LogoutDeliverer {
  /** Runs now, or right after the run under way (a session just ended: its first attempt should not wait). */
  wake(): void;
  /** Runs now (joining a run under way). */
  runNow(): Promise<DeliveryRun | undefined>;
  /** Stops the timer and waits for a run under way, so the store can be closed after. */
  stop(): Promise<void>;
}

export interface LogoutDelivererOptions extends DeliveryOptions {
  /** Seconds between runs; 0 turns the timer off (wake still runs). */
  intervalSeconds?: number;
}

export function startLogoutDelivery(ctx: DeliveryContext, log: Pick<HousekeepingLog, 'info' | 'warn'>, options: LogoutDelivererOptions = {}): LogoutDeliverer {
  const intervalMs = (options.intervalSeconds ?? DEFAULT_LOGOUT_DELIVERY_INTERVAL_SECONDS) * 1000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<DeliveryRun | undefined> | undefined;
  let again = false;
  let stopped = false;

  const deliver = async (): Promise<DeliveryRun | undefined> => {
    try {
      const run = await deliverDueLogouts(ctx, options);
      if (run.delivered + run.retrying + run.failed > 0) log.info({ ...run }, 'back-channel logout deliveries');
      return run;
    } catch (error) {
      // The next run tries again; a database outage must not take the server down.
      log.warn({ error: error instanceof Error ? error.message : String(error) }, 'back-channel logout delivery failed');
      return undefined;
    }
  };
  const runNow = (): Promise<DeliveryRun | undefined> => {
    running ??= deliver().finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        void runNow();
      }
    });
    return running;
  };
  const schedule = () => {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => void runNow().then(schedule), intervalMs);
    // A pending run must never keep a stopping process alive.
    timer.unref();
  };
  schedule();

  return {
    wake() {
      if (stopped) return;
      if (running) again = true;
      else void runNow();
    },
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
