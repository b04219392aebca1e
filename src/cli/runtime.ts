// Opens what every command needs: the store (migrated), the secret, the key ring, the context.
import { oauthContext } from '../app.ts';
import type { Config } from '../config.ts';
import { KeyRing } from '../keys/key-ring.ts';
import { loadOrCreateSecret } from '../keys/secret.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { openStore } from '../store/open.ts';

export interface Runtime {
  config: Config;
  ctx: OAuthContext;
  close(): Promise<void>;
}

export async function openRuntime(config: Config): Promise<Runtime> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const secret = loadOrCreateSecret(config.dataDir, config.secret);
    const keys = await KeyRing.load(store, secret);
    const ctx = oauthContext({ config, store, keys });
    return { config, ctx, close: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}
