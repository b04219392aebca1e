// A store, context and data dir for tests of the demo's seeding (src/cli/demo.ts), without a
// server: `before` opens them, `after` closes and removes them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { DEMO_FILE, type DemoCredentials } from '../../src/cli/demo.ts';
import { KeyRing } from '../../src/keys/key-ring.ts';
import { ManualClock } from '../../src/oauth/clock.ts';
import { deriveTokenKey } from '../../src/oauth/refresh-rotation.ts';
import { oauthContext } from '../../src/platform/context.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { TEST_SECRET } from './server.ts';

export interface DemoSeeding {
  dataDir: string;
  /** The demo credentials file in the data dir. */
  file: string;
  clock: ManualClock;
  store(): Store;
  ctx(): ReturnType<typeof oauthContext>;
  /** The demo credentials file as it is now. */
  credentials(): DemoCredentials;
}

function opened<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('demoSeeding: used before its before hook ran');
  return value;
}

/** Registers the suite's before/after hooks; call it in a `describe`. */
export function demoSeeding(prefix: string): DemoSeeding {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const clock = new ManualClock();
  let store: Store | undefined;
  let keys: KeyRing | undefined;
  let ctx: ReturnType<typeof oauthContext> | undefined;
  before(async () => {
    store = await openStore({ dataDir: '', memory: true });
    keys = await KeyRing.load(store, TEST_SECRET, { clock });
    ctx = oauthContext({ config: { publicUrl: 'http://localhost:8080' }, store, keys, clock, tokenKey: deriveTokenKey(TEST_SECRET) });
  });
  after(async () => {
    keys?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const file = join(dataDir, DEMO_FILE);
  return {
    dataDir,
    file,
    clock,
    store: () => opened(store),
    ctx: () => opened(ctx),
    credentials: () => JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials,
  };
}
