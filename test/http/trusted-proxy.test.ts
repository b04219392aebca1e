// Behind a load balancer, per-IP limits must count real clients: X-Forwarded-For is believed only
// from proxies the operator trusts (GATEHOUSE_TRUST_PROXY), and ignored otherwise.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { KeyRing } from '../../src/keys/key-ring.ts';
import { MemoryCounters } from '../../src/limits/memory-counters.ts';
import { DEFAULT_LIMITS, RateLimiter } from '../../src/limits/rate-limiter.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';

const opened: { app: FastifyInstance; store: Store; keys: KeyRing }[] = [];

async function appTrusting(trustProxy: number | string[] | undefined): Promise<FastifyInstance> {
  const store = await openStore({ dataDir: '', memory: true });
  const keys = await KeyRing.load(store, 'trusted-proxy-secret', { reloadIntervalSeconds: 0 });
  const limiter = new RateLimiter(new MemoryCounters(), { ...DEFAULT_LIMITS, pagesPerIp: { limit: 2, windowSeconds: 60 } });
  const app = await buildApp({ config: { publicUrl: 'http://localhost:8080', logLevel: 'silent', trustProxy }, store, keys, limiter, logger: false, tokenKey: randomBytes(32) });
  opened.push({ app, store, keys });
  return app;
}

const loginFrom = (app: FastifyInstance, forwardedFor: string) =>
  app.inject({ method: 'GET', url: '/login', headers: { 'x-forwarded-for': forwardedFor } });

describe('trusted proxies', () => {
  after(async () => {
    for (const { app, store, keys } of opened) {
      await app.close();
      keys.close();
      await store.close();
    }
  });

  it('counts each forwarded client separately when the proxy is trusted', async () => {
    const app = await appTrusting(['127.0.0.1']);
    for (let i = 0; i < 2; i++) assert.equal((await loginFrom(app, '203.0.113.7')).statusCode, 200);
    assert.equal((await loginFrom(app, '203.0.113.7')).statusCode, 429, 'the third page load from one client');
    assert.equal((await loginFrom(app, '198.51.100.9')).statusCode, 200, 'another client behind the same proxy is not held up');
  });

  it('trusts a hop count', async () => {
    const app = await appTrusting(1);
    for (let i = 0; i < 2; i++) assert.equal((await loginFrom(app, '203.0.113.7')).statusCode, 200);
    assert.equal((await loginFrom(app, '198.51.100.9')).statusCode, 200);
  });

  it('ignores X-Forwarded-For by default, so a client cannot pick its own address', async () => {
    const app = await appTrusting(undefined);
    assert.equal((await loginFrom(app, '203.0.113.1')).statusCode, 200);
    assert.equal((await loginFrom(app, '203.0.113.2')).statusCode, 200);
    assert.equal((await loginFrom(app, '203.0.113.3')).statusCode, 429, 'all three are the socket peer');
  });
});
