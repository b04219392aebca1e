// Opens what every command needs: the store (migrated), the secret, the key ring, the context.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { oauthContext } from '../platform/context.ts';
import type { Config } from '../config.ts';
import { KeyRing } from '../keys/key-ring.ts';
import { SECRET_FILE, loadOrCreateSecret } from '../keys/secret.ts';
import { ILERT_LIFETIMES, type OAuthContext } from '../oauth/context.ts';
import { deriveTokenKey } from '../oauth/refresh-rotation.ts';
import cluster from 'node:cluster';
import { ClusterCounters } from '../limits/cluster-counters.ts';
import type { Counters } from '../limits/counters.ts';
import { MemoryCounters } from '../limits/memory-counters.ts';
import { DEFAULT_LIMITS, RateLimiter } from '../limits/rate-limiter.ts';
import { NoSchemaError, SchemaTooNewError } from '../store/migrate.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { missingSecretError, noDatabaseError, redisOpenError, storeOpenError } from './startup-errors.ts';

export interface Runtime {
  config: Config;
  ctx: OAuthContext;
  /** Rate limits: counters in Redis when REDIS_URL is set, else in the primary of the workers (cluster IPC), else in this process. */
  limiter: RateLimiter;
  close(): Promise<void>;
}

/** Whether the primary of `serve --workers N` holds the counters for its workers (serve.ts starts them there). */
export const countersInPrimary = (config: Pick<Config, 'redisUrl' | 'rateLimits'>): boolean => config.rateLimits && !config.redisUrl;

async function openCounters(config: Config): Promise<Counters> {
  // The Redis client is loaded only when it is used (it costs every process ~13 MB).
  if (config.redisUrl && config.rateLimits) return new (await import('../limits/redis-counters.ts')).RedisCounters(config.redisUrl).connect();
  // Workers of one server count together, so a limit is the documented one and not one per worker.
  if (cluster.isWorker && countersInPrimary(config)) return new ClusterCounters();
  return new MemoryCounters();
}

async function openLimiter(config: Config): Promise<RateLimiter> {
  return new RateLimiter(await openCounters(config), DEFAULT_LIMITS, config.rateLimits);
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
