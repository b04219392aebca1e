// The housekeeping schedule: purges on its timer with the access-token lifetime, logs counts only,
// survives a failing purge, and stops for good.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/oauth/clock.ts';
import { ILERT_LIFETIMES } from '../../src/oauth/context.ts';
import { startHousekeeping, type HousekeepingLog } from '../../src/platform/housekeeping.ts';
import type { PurgeCounts, PurgeOptions, Store } from '../../src/store/store.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store whose purge is `purge`; the revocation feed's prune records the cut-off it was given, the used assertion ids' prune its time, the device codes' purge its cut-off. */
function fakeStore(purge: (now: Date, batchSize?: number, options?: PurgeOptions) => Promise<PurgeCounts>, pruned: Date[] = [], assertionsPruned: Date[] = [], deviceCutoffs: Date[] = []): Store {
  return {
    housekeeping: { purge },
    revocationFeed: { prune: async (before: Date) => (pruned.push(before), 0) },
    clientAssertions: { prune: async (now: Date) => (assertionsPruned.push(now), 0) },
    deviceCodes: { purge: async (before: Date) => (deviceCutoffs.push(before), 0) },
    apps: { unusedSince: async () => [] },
    webauthnChallenges: { prune: async () => 0 },
  } as unknown as Store;
}

function recordingLog() {
  const lines: { level: string; details: object; message: string }[] = [];
  const log: HousekeepingLog = {
    info: (details, message) => lines.push({ level: 'info', details, message }),
    debug: (details, message) => lines.push({ level: 'debug', details, message }),
    warn: (details, message) => lines.push({ level: 'warn', details, message }),
  };
  return { log, lines };
}

describe('housekeeping schedule', () => {
  it('purges on its timer with the clock and the access-token lifetime, logging the counts', async () => {
    const clock = new ManualClock(new Date('2030-01-01T00:00:00Z'));
    const calls: { now: Date; options?: PurgeOptions }[] = [];
    const pruned: Date[] = [];
    const assertionsPruned: Date[] = [];
    const deviceCutoffs: Date[] = [];
    const store = fakeStore(async (now, _batch, options) => {
      calls.push({ now, options });
      return { codes: 2, sessions: 1, refreshTokens: 0, families: 3, flashes: 0 };
    }, pruned, assertionsPruned, deviceCutoffs);
    const { log, lines } = recordingLog();
    const housekeeping = startHousekeeping({ store, clock, lifetimes: ILERT_LIFETIMES }, log, { intervalSeconds: 0.02 });
    await sleep(150);
    await housekeeping.stop();
    const runs = calls.length;
    assert.ok(runs >= 2, `ran ${runs} times`);
    assert.deepEqual(calls[0], { now: clock.now(), options: { accessTokenLifetimeSeconds: 3600 } });
    assert.equal(lines[0]?.level, 'info');
    assert.deepEqual({ ...lines[0]?.details, ms: 0 }, { codes: 2, sessions: 1, refreshTokens: 0, families: 3, flashes: 0, deviceCodes: 0, revocations: 0, assertions: 0, unusedClients: 0, challenges: 0, ms: 0 });
    assert.deepEqual(pruned[0], new Date(clock.now().getTime() - 2 * 86_400_000), 'revocation feed entries are kept two days');
    assert.deepEqual(assertionsPruned[0], clock.now(), 'used assertion ids go once their assertions expired');
    assert.deepEqual(deviceCutoffs[0], new Date(clock.now().getTime() - 3_600_000), 'device codes are kept an hour past expiry');

    await sleep(80);
    assert.equal(calls.length, runs, 'no purge after stop()');
  });

  it('logs a failed purge as a warning and tries again next time', async () => {
    let attempts = 0;
    const store = fakeStore(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('connection refused');
      return { codes: 0, sessions: 0, refreshTokens: 0, families: 0, flashes: 0 };
    });
    const { log, lines } = recordingLog();
    const housekeeping = startHousekeeping({ store, clock: new ManualClock(), lifetimes: ILERT_LIFETIMES }, log, { intervalSeconds: 0.02 });
    await sleep(150);
    await housekeeping.stop();
    assert.ok(attempts >= 2);
    assert.deepEqual(lines[0], { level: 'warn', details: { error: 'connection refused' }, message: 'housekeeping failed' });
    assert.equal(lines[1]?.level, 'debug', 'a purge that deleted nothing logs at debug');
  });

  it('runs nothing on a zero interval, but runNow still purges', async () => {
    let attempts = 0;
    const store = fakeStore(async () => {
      attempts += 1;
      return { codes: 0, sessions: 0, refreshTokens: 0, families: 0, flashes: 0 };
    });
    const housekeeping = startHousekeeping({ store, clock: new ManualClock(), lifetimes: ILERT_LIFETIMES }, recordingLog().log, { intervalSeconds: 0 });
    await sleep(50);
    assert.equal(attempts, 0);
    assert.deepEqual(await housekeeping.runNow(), { codes: 0, sessions: 0, refreshTokens: 0, families: 0, flashes: 0 });
    assert.equal(attempts, 1);
    await housekeeping.stop();
  });
});
