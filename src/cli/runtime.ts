// Opens what every command needs: the store (migrated), the secret, the key ring, the context.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { oauthContext } from '../platform/context.ts';
import type { Config } from '../config.ts';
import { KeyRing } from '../keys/key-ring.ts';
import { SECRET_FILE, loadOrCreateSecret } from '../keys/secret.ts';
import { ILERT_LIFETIMES, type OAuthContext } from '../oauth/context.ts';
import { deriveTokenKey } from '../oauth/refresh-rotation.ts';
import { MemoryCounters } from '../limits/memory-counters.ts';
import { DEFAULT_LIMITS, RateLimiter } from '../limits/rate-limiter.ts';
import { NoSchemaError, SchemaTooNewError } from '../store/migrate.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { missingSecretError, noDatabaseError, redisOpenError, storeOpenError } from './startup-errors.ts';

export interface Runtime {
  config: Config;
  ctx: OAuthContext;
  /** Rate limits: counters in Redis when REDIS_URL is set, else in this process. */
  limiter: RateLimiter;
  close(): Promise<void>;
}

async function openLimiter(config: Config): Promise<RateLimiter> {
  // The Redis client is loaded only when it is used (it costs every process ~13 MB).
  const counters = config.redisUrl && config.rateLimits ? await new (await import('../limits/redis-counters.ts')).RedisCounters(config.redisUrl).connect() : new MemoryCounters();
  return new RateLimiter(counters, DEFAULT_LIMITS, config.rateLimits);
}

export interface RuntimeOptions {
  /** May a missing or empty database be created (serve, or a command given --create)? Otherwise it is refused. */
  create: boolean;
  /** Wraps the store before anything uses it (the metrics time its operations). */
  wrapStore?(store: Store): Store;
}

/**
 * GATEHOUSE_SECRET, or the data dir's; a new one is generated only while the database holds no
 * signing key, since a key encrypted with another secret could not be decrypted with it.
 */
async function secretFor(config: Config, store: Store): Promise<string> {
  if (!config.secret && !existsSync(join(config.dataDir, SECRET_FILE)) && (await store.keys.list()).length > 0) throw missingSecretError(config);
  return loadOrCreateSecret(config.dataDir, config.secret);
}

export async function openRuntime(config: Config, options: RuntimeOptions): Promise<Runtime> {
  const opened = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, create: options.create }).catch((error: unknown) => {
    // A schema newer than this version already says what to do; anything else names the setting.
    if (error instanceof SchemaTooNewError) throw error;
    throw error instanceof NoSchemaError ? noDatabaseError(config) : storeOpenError(error, config);
  });
  const store = options.wrapStore ? options.wrapStore(opened) : opened;
  try {
    const secret = await secretFor(config, store);
    const keys = await KeyRing.load(store, secret, { reloadIntervalSeconds: config.keyReloadSeconds, accessTokenLifetimeSeconds: ILERT_LIFETIMES.accessToken });
    const ctx = oauthContext({ config, store, keys, tokenKey: deriveTokenKey(secret) });
    const limiter = await openLimiter(config).catch((error: unknown) => {
      keys.close();
      throw redisOpenError(error, config.redisUrl ?? '');
    });
    return {
      config,
      ctx,
      limiter,
      close: async () => {
        keys.close();
        await limiter.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
