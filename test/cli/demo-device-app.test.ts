// The demo's device-flow app (for examples/cli): seeded with the demo data, public and allowed the
// device grant; added once to demo data from before it existed, and not again once deleted.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_FILE, seedDemo, type DemoCredentials } from '../../src/cli/demo.ts';
import { describeDemo } from '../../src/cli/demo-banner.ts';
import { KeyRing } from '../../src/keys/key-ring.ts';
import { ManualClock } from '../../src/oauth/clock.ts';
import { DEVICE_CODE_GRANT_TYPE } from '../../src/oauth/grants/device-code.ts';
import { deriveTokenKey } from '../../src/oauth/refresh-rotation.ts';
import { oauthContext } from '../../src/platform/context.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { TEST_SECRET } from '../helpers/server.ts';

describe('the demo app for examples/cli', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-device-'));
  const file = join(dataDir, DEMO_FILE);
  let store: Store;
  let keys: KeyRing;
  let ctx: ReturnType<typeof oauthContext>;
  before(async () => {
    store = await openStore({ dataDir: '', memory: true });
    const clock = new ManualClock();
    keys = await KeyRing.load(store, TEST_SECRET, { clock });
    ctx = oauthContext({ config: { publicUrl: 'http://localhost:8080' }, store, keys, clock, tokenKey: deriveTokenKey(TEST_SECRET) });
  });
  after(async () => {
    keys.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const credentials = () => JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;

  it('is seeded with the demo: a public client allowed the device grant and refresh, after the two ilert samples and the service', async () => {
    const state = await seedDemo(ctx, dataDir);
    assert.ok(state);
    assert.deepEqual(state.credentials.apps.map((app) => app.name), ['ilert sample backend', 'ilert sample webapp', 'Demo service', 'Gatehouse sample CLI']);
    const entry = credentials().apps.find((app) => app.device);
    assert.ok(entry);
    const app = await store.apps.byClientId(entry.clientId);
    assert.equal(app?.clientSecretHash, null);
    assert.equal(app?.tokenEndpointAuthMethod, 'none');
    assert.deepEqual(app?.grantTypes, [DEVICE_CODE_GRANT_TYPE, 'refresh_token']);
    assert.match(describeDemo(state, 'http://localhost:8080'), new RegExp(`App "Gatehouse sample CLI" \\(public client: device flow, no secret\\)\\n +client_id +${entry.clientId}\\n +try it +npm run example:cli`));
  });

  it('is added once to older demo data, and stays deleted once deleted', async () => {
    const seeded = credentials();
    const device = seeded.apps.find((app) => app.device);
    assert.ok(device);
    await store.apps.delete((await store.apps.byClientId(device.clientId))?.id ?? -1);
    // Demo data as an older version wrote it: no CLI app, no mark.
    writeFileSync(file, JSON.stringify({ ...seeded, apps: seeded.apps.filter((app) => !app.device), cliAppSeeded: undefined }));
    const upgraded = await seedDemo(ctx, dataDir);
    const added = upgraded?.credentials.apps.find((app) => app.device);
    assert.ok(added && (await store.apps.byClientId(added.clientId)));
    assert.equal(credentials().cliAppSeeded, true);

    await store.apps.delete((await store.apps.byClientId(added.clientId))?.id ?? -1);
    const after = await seedDemo(ctx, dataDir);
    assert.deepEqual(after?.deleted, ['Gatehouse sample CLI']);
    assert.equal(after?.credentials.apps.some((app) => app.device), false, 'not seeded again');
  });
});
