// Rate rules and failure delays, as a person guessing passwords or a runaway client meets them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryCounters } from '../../src/limits/memory-counters.ts';
import { DEFAULT_LIMITS, RateLimiter, strictest } from '../../src/limits/rate-limiter.ts';

function limiterAt(start = 1_000_000) {
  let now = start;
  const limiter = new RateLimiter(new MemoryCounters(() => now));
  return { limiter, advance: (seconds: number) => (now += seconds * 1000) };
}

describe('rate limiter', () => {
  it('allows ilert-like request rates per IP and refuses beyond them with a retry time', async () => {
    const { limiter, advance } = limiterAt();
    for (let i = 0; i < DEFAULT_LIMITS.pagesPerIp.limit; i++) assert.equal((await limiter.request('pagesPerIp', '10.0.0.1')).allowed, true);
    const refused = await limiter.request('pagesPerIp', '10.0.0.1');
    assert.deepEqual(refused, { allowed: false, retryAfterSeconds: 60 });
    assert.equal((await limiter.request('pagesPerIp', '10.0.0.2')).allowed, true, 'other IPs are not affected');
    advance(60);
    assert.equal((await limiter.request('pagesPerIp', '10.0.0.1')).allowed, true, 'the window ends');
  });

  it('lets a person mistype a few times, then makes each further guess wait longer', async () => {
    const { limiter, advance } = limiterAt();
    const key = 'acme:jane';
    for (let i = 0; i < DEFAULT_LIMITS.loginFailuresPerUser.limit - 1; i++) await limiter.failure('loginFailuresPerUser', key);
    assert.equal((await limiter.waiting('loginFailuresPerUser', key)).allowed, true);

    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      await limiter.failure('loginFailuresPerUser', key);
      const verdict = await limiter.waiting('loginFailuresPerUser', key);
      assert.equal(verdict.allowed, false);
      if (!verdict.allowed) waits.push(verdict.retryAfterSeconds);
    }
    assert.deepEqual(waits, [1, 2, 4, 8], 'the delay doubles with each failure');
    advance(8);
    assert.equal((await limiter.waiting('loginFailuresPerUser', key)).allowed, true, 'the block runs out');
  });

  it('caps the delay', async () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 40; i++) await limiter.failure('secretFailuresPerClient', 'abc');
    const verdict = await limiter.waiting('secretFailuresPerClient', 'abc');
    assert.deepEqual(verdict, { allowed: false, retryAfterSeconds: DEFAULT_LIMITS.maxBlockSeconds });
  });

  it('forgets failures after a success', async () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 6; i++) await limiter.failure('loginFailuresPerUser', 'k');
    await limiter.success('loginFailuresPerUser', 'k');
    assert.equal((await limiter.waiting('loginFailuresPerUser', 'k')).allowed, true);
    await limiter.failure('loginFailuresPerUser', 'k');
    assert.equal((await limiter.waiting('loginFailuresPerUser', 'k')).allowed, true, 'counting starts over');
  });

  it('does nothing when switched off', async () => {
    const limiter = new RateLimiter(new MemoryCounters(), DEFAULT_LIMITS, false);
    for (let i = 0; i < 1000; i++) assert.equal((await limiter.request('pagesPerIp', 'x')).allowed, true);
    for (let i = 0; i < 50; i++) await limiter.failure('loginFailuresPerUser', 'k');
    assert.equal((await limiter.waiting('loginFailuresPerUser', 'k')).allowed, true);
  });

  it('reports the longest wait of several', () => {
    assert.deepEqual(strictest({ allowed: true }, { allowed: false, retryAfterSeconds: 3 }, { allowed: false, retryAfterSeconds: 9 }), {
      allowed: false,
      retryAfterSeconds: 9,
    });
    assert.deepEqual(strictest({ allowed: true }), { allowed: true });
  });
});

describe('rate limits shared through Redis', async () => {
  const { RedisCounters } = await import('../../src/limits/redis-counters.ts');
  const { testRedis } = await import('../helpers/redis.ts');
  const { randomBytes } = await import('node:crypto');
  const redis = await testRedis();
  const skip = 'skip' in redis ? redis.skip : undefined;

  it('a block earned at one instance holds at another', { skip }, async () => {
    const prefix = `gatehouse:test:${randomBytes(4).toString('hex')}:`;
    const url = (redis as { url: string }).url;
    const a = new RateLimiter(await new RedisCounters(url, prefix).connect());
    const b = new RateLimiter(await new RedisCounters(url, prefix).connect());
    try {
      // Failures alternate between the two instances, as behind a load balancer.
      for (let i = 0; i < DEFAULT_LIMITS.loginFailuresPerUser.limit; i++) await (i % 2 === 0 ? a : b).failure('loginFailuresPerUser', 'acme:jane');
      const atB = await b.waiting('loginFailuresPerUser', 'acme:jane');
      assert.deepEqual(atB, { allowed: false, retryAfterSeconds: 1 });
      for (let i = 0; i < DEFAULT_LIMITS.pagesPerIp.limit; i++) await (i % 2 === 0 ? a : b).request('pagesPerIp', '10.1.1.1');
      assert.equal((await a.request('pagesPerIp', '10.1.1.1')).allowed, false, 'the per-IP rate counts both instances');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('when the counters fail', () => {
  it('lets requests through and reports the failure, rather than failing them', async () => {
    const broken = {
      hit: async () => Promise.reject(new Error('Redis is away')),
      block: async () => Promise.reject(new Error('Redis is away')),
      blockedFor: async () => Promise.reject(new Error('Redis is away')),
      reset: async () => Promise.reject(new Error('Redis is away')),
      close: async () => undefined,
    };
    const limiter = new RateLimiter(broken);
    const reported: unknown[] = [];
    limiter.reportErrorsTo((error) => reported.push(error));
    assert.deepEqual(await limiter.request('apiPerIp', 'x'), { allowed: true });
    assert.deepEqual(await limiter.waiting('loginFailuresPerUser', 'k'), { allowed: true });
    await limiter.failure('loginFailuresPerUser', 'k');
    await limiter.success('loginFailuresPerUser', 'k');
    assert.equal(reported.length, 4);
  });
});
