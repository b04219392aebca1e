// Counters in Redis, shared by every instance. Each operation is one atomic script or command.
import { Redis } from 'ioredis';
import type { CounterState, Counters } from './counters.ts';

// INCRBY, and set the expiry only when this hit created the key, then report count and TTL.
const HIT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return {count, ttl}
`;

export class RedisCounters implements Counters {
  private readonly redis: Redis;
  /** The client's latest connection error: without a listener ioredis prints "Unhandled error event". */
  private lastError: Error | undefined;

  constructor(
    url: string,
    private readonly prefix = 'gatehouse:rl:',
  ) {
    // Fail fast rather than queue commands forever while Redis is away.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true, connectTimeout: 3000 });
    // Commands that fail while Redis is away reject on their own (the limiter fails open).
    this.redis.on('error', (error: Error) => {
      this.lastError = error;
    });
  }

  async connect(): Promise<this> {
    try {
      await this.redis.connect();
    } catch (error) {
      // "Connection is closed" says less than the error that closed it (ECONNREFUSED, ENOTFOUND…).
      this.redis.disconnect();
      throw this.lastError ?? error;
    }
    return this;
  }

  async hit(key: string, windowMs: number, by = 1): Promise<CounterState> {
    const [count, ttl] = (await this.redis.eval(HIT, 1, this.prefix + key, by, Math.max(1, Math.ceil(windowMs)))) as [number, number];
    return { count: Number(count), resetMs: Number(ttl) };
  }

  async block(key: string, ms: number): Promise<void> {
    await this.redis.set(this.prefix + key, '1', 'PX', Math.max(1, Math.ceil(ms)));
  }

  async blockedFor(key: string): Promise<number> {
    const ttl = await this.redis.pttl(this.prefix + key);
    return ttl > 0 ? ttl : 0;
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
