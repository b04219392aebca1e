// Two Gatehouse instances on one database for the resource benchmark, in this process (what is
// measured is the notes API and the feed's delay, not these instances' throughput): each with its
// own store connections, key ring and URL, as two hosts of one deployment are.
import { buildApp } from '../../src/app.ts';
import { KeyRing } from '../../src/keys/key-ring.ts';
import { MemoryCounters } from '../../src/limits/memory-counters.ts';
import { DEFAULT_LIMITS, RateLimiter } from '../../src/limits/rate-limiter.ts';
import type { OAuthContext } from '../../src/oauth/context.ts';
import { deriveTokenKey } from '../../src/oauth/refresh-rotation.ts';
import { oauthContext } from '../../src/platform/context.ts';
import { openAndMigrate } from '../../src/store/open.ts';
import { freePort } from '../../scripts/free-port.ts';
import type { BenchDatabase } from '../gatehouse/database.ts';

const SECRET = 'resource-bench-secret-resource-bench';

export interface Instance {
  url: string;
  ctx: OAuthContext;
  close(): Promise<void>;
}

export async function startInstance(database: BenchDatabase): Promise<Instance> {
  const { store } = await openAndMigrate({ databaseUrl: database.env.DATABASE_URL || undefined, dataDir: String(database.env.GATEHOUSE_DATA_DIR) });
  const keys = await KeyRing.load(store, SECRET);
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const config = { publicUrl: url, logLevel: 'silent' as const };
  const tokenKey = deriveTokenKey(SECRET);
  // The benchmark sends more requests than a person would: no rate limits, as in the main scenarios.
  const limiter = new RateLimiter(new MemoryCounters(() => Date.now()), DEFAULT_LIMITS, false);
  const app = await buildApp({ config, store, keys, logger: false, limiter, tokenKey });
  await app.listen({ port, host: '127.0.0.1' });
  const cut = () => app.server.closeAllConnections();
  return {
    url,
    ctx: oauthContext({ config, store, keys, tokenKey }),
    async close() {
      keys.close();
      const timer = setTimeout(cut, 1000);
      await app.close();
      clearTimeout(timer);
      await store.close();
    },
  };
}
