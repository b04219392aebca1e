// Workers without Redis count in their primary: two workers' hits add up to one count, and a
// worker whose primary does not answer counts in its own memory meanwhile (never not at all),
// says so once, and goes back to the primary when it answers again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterCounters } from '../../src/limits/cluster-counters.ts';
import { MemoryCounters } from '../../src/limits/memory-counters.ts';
import { DEFAULT_LIMITS, RateLimiter } from '../../src/limits/rate-limiter.ts';
import { channelTo } from './primary-channel.ts';

describe('counters in the primary', () => {
  it('adds up the failures of two workers, so the lock comes after the documented count', async () => {
    const primary = new MemoryCounters();
    const workers = [new RateLimiter(new ClusterCounters(channelTo(primary))), new RateLimiter(new ClusterCounters(channelTo(primary)))];
    const limit = DEFAULT_LIMITS.loginFailuresPerUser.limit;
    for (let i = 0; i < limit; i++) {
      const worker = workers[i % 2] as RateLimiter;
      assert.deepEqual(await worker.waiting('loginFailuresPerUser', 'acme:jane'), { allowed: true });
      await worker.failure('loginFailuresPerUser', 'acme:jane');
    }
    for (const worker of workers) assert.deepEqual(await worker.waiting('loginFailuresPerUser', 'acme:jane'), { allowed: false, retryAfterSeconds: 1 });
    await workers[0]?.success('loginFailuresPerUser', 'acme:jane');
    assert.deepEqual(await workers[1]?.waiting('loginFailuresPerUser', 'acme:jane'), { allowed: true }, 'a success on one worker counts on both');
  });

  it('counts in the worker while the primary does not answer, reports it once, and returns to the primary', async () => {
    let answering = false;
    const channel = channelTo(new MemoryCounters(), { answering: () => answering });
    const counters = new ClusterCounters(channel, new MemoryCounters(), 20);
    const reports: string[] = [];
    counters.reportFallbackTo((error) => reports.push(error.message));

    assert.equal((await counters.hit('k', 60_000)).count, 1);
    assert.equal((await counters.hit('k', 60_000)).count, 2, 'the fallback counts: the limits still hold, per worker');
    assert.deepEqual(reports, ['the primary did not answer within 20 ms']);

    answering = true;
    assert.equal((await counters.hit('k', 60_000)).count, 1, "back to the primary's count");
    answering = false;
    await counters.hit('k', 60_000);
    assert.equal(reports.length, 2, 'a new outage is reported again');
    await counters.close();
  });

  it('counts in the worker at once when it has no channel to a primary', async () => {
    const channel = channelTo(new MemoryCounters(), { connected: false });
    const counters = new ClusterCounters(channel, new MemoryCounters(), 60_000);
    await counters.block('b', 30_000);
    assert.ok((await counters.blockedFor('b')) > 25_000);
    assert.equal(channel.sent, 0);
  });
});
