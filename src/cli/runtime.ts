// Opens what every command needs: the store (migrated), the secret, the key ring, the context.
import { oauthContext } from '../app.ts';
import type { Config } from '../config.ts';
import { DEFAULT_RELOAD_INTERVAL_SECONDS, KeyRing } from '../keys/key-ring.ts';
import { loadOrCreateSecret } from '../keys/secret.ts';
import { ILERT_LIFETIMES, type OAuthContext } from '../oauth/context.ts';
import { openStore } from '../store/open.ts';

export interface Runtime {
  config: Config;
  ctx: OAuthContext;
  close(): Promise<void>;
}

/**
 * GATEHOUSE_KEY_RELOAD_SECONDS: how often a running instance rereads the signing keys, so it
 * follows `gatehouse keys rotate` run elsewhere. 0 leaves only the reload on an unknown kid.
 */
export function keyReloadSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GATEHOUSE_KEY_RELOAD_SECONDS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_RELOAD_INTERVAL_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) {
    throw new Error('GATEHOUSE_KEY_RELOAD_SECONDS must be a number of seconds from 0 to 86400');
  }
  return seconds;
}

export async function openRuntime(config: Config): Promise<Runtime> {
  const reloadIntervalSeconds = keyReloadSeconds();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const secret = loadOrCreateSecret(config.dataDir, config.secret);
    const keys = await KeyRing.load(store, secret, { reloadIntervalSeconds, accessTokenLifetimeSeconds: ILERT_LIFETIMES.accessToken });
    const ctx = oauthContext({ config, store, keys });
    return {
      config,
      ctx,
      close: async () => {
        keys.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
