// The counters behind rate limits behave the same in memory, in the primary of the workers (over a
// channel like cluster IPC) and in Redis.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Counters } from '../../src/limits/counters.ts';
import { MemoryCounters } from '../../src/limits/memory-counters.ts';
import { ClusterCounters } from '../../src/limits/cluster-counters.ts';
import { channelTo } from './primary-channel.ts';
import { RedisCounters } from '../../src/limits/redis-counters.ts';
import { testRedis } from '../helpers/redis.ts';

const redis = await testRedis();

function contract(name: string, make: () => Promise<Counters>, skip?: string) {
  describe(`counters: ${name}`, { skip }, () => {
    let counters: Counters;
    const key = () => randomBytes(8).toString('hex');
    before(async () => {
      counters = await make();
    });
    after(() => counters.close());

    it('counts hits within a window and reports the time left', async () => {
      const k = key();
      assert.equal((await counters.hit(k, 60_000)).count, 1);
      assert.equal((await counters.hit(k, 60_000, 2)).count, 3);
      const { resetMs } = await counters.hit(k, 60_000);
      assert.ok(resetMs > 55_000 && resetMs <= 60_000, String(resetMs));
    });

    it('starts over when the window has passed', async () => {
      const k = key();
      await counters.hit(k, 50);
      await new Promise((r) => setTimeout(r, 80));
      assert.equal((await counters.hit(k, 50)).count, 1);
    });

    it('blocks a key for a while and forgets it on reset', async () => {
      const k = key();
      assert.equal(await counters.blockedFor(k), 0);
      await counters.block(k, 30_000);
      const left = await counters.blockedFor(k);
      assert.ok(left > 25_000 && left <= 30_000, String(left));
      await counters.reset(k);
      assert.equal(await counters.blockedFor(k), 0);
    });
  });
}

contract('memory', async () => new MemoryCounters());
contract('in the primary', async () => new ClusterCounters(channelTo(new MemoryCounters())));
contract(
  'redis',
  async () => new RedisCounters((redis as { url: string }).url, `gatehouse:test:${randomBytes(4).toString('hex')}:`).connect(),
  'skip' in redis ? redis.skip : undefined,
);

describe('memory counters stay bounded', () => {
  it('drops the oldest keys when full', async () => {
    const counters = new MemoryCounters(Date.now, 3);
    for (const k of ['a', 'b', 'c', 'd']) await counters.hit(k, 60_000);
    assert.equal((await counters.hit('a', 60_000)).count, 1, 'the oldest key was dropped');
    assert.equal((await counters.hit('d', 60_000)).count, 2);
  });
});
