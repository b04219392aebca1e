// The demo's backend sample carries the OpenID Connect logout URIs of examples/webservice's "Sign in
// with Gatehouse": seeded with the demo, added once to demo data from before them, not again once removed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_FILE, seedDemo, type DemoCredentials } from '../../src/cli/demo.ts';
import { KeyRing } from '../../src/keys/key-ring.ts';
import { ManualClock } from '../../src/oauth/clock.ts';
import { deriveTokenKey } from '../../src/oauth/refresh-rotation.ts';
import { oauthContext } from '../../src/platform/context.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { TEST_SECRET } from '../helpers/server.ts';

describe("the demo backend sample's logout URIs", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-logout-'));
  const file = join(dataDir, DEMO_FILE);
  let store: Store;
  let keys: KeyRing;
  let ctx: ReturnType<typeof oauthContext>;
  const clock = new ManualClock();
  before(async () => {
    store = await openStore({ dataDir: '', memory: true });
    keys = await KeyRing.load(store, TEST_SECRET, { clock });
    ctx = oauthContext({ config: { publicUrl: 'http://localhost:8080' }, store, keys, clock, tokenKey: deriveTokenKey(TEST_SECRET) });
  });
  after(async () => {
    keys.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const credentials = () => JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
  const backendApp = async () => store.apps.byClientId(credentials().apps.find((app) => app.name === 'ilert sample backend')?.clientId ?? '');
  const cleared = { postLogoutRedirectUris: [], backchannelLogoutUri: null };

  it('are seeded with the demo, on the backend sample only', async () => {
    await seedDemo(ctx, dataDir);
    const backend = await backendApp();
    assert.deepEqual(backend?.postLogoutRedirectUris, ['http://localhost:4597/signed-out']);
    assert.equal(backend?.backchannelLogoutUri, 'http://localhost:4597/backchannel-logout');
    const webapp = await store.apps.byClientId(credentials().apps.find((app) => app.name === 'ilert sample webapp')?.clientId ?? '');
    assert.deepEqual([webapp?.postLogoutRedirectUris, webapp?.backchannelLogoutUri], [[], null]);
    assert.equal(credentials().logoutUrisSeeded, true);
  });

  it('are added once to older demo data, and stay removed once removed', async () => {
    const backend = await backendApp();
    assert.ok(backend);
    // Demo data as an older version wrote it: no logout URIs, no mark.
    await store.apps.update(backend.id, cleared, clock.now());
    writeFileSync(file, JSON.stringify({ ...credentials(), logoutUrisSeeded: undefined }));
    await seedDemo(ctx, dataDir);
    assert.deepEqual((await backendApp())?.postLogoutRedirectUris, ['http://localhost:4597/signed-out']);
    assert.equal(credentials().logoutUrisSeeded, true);

    await store.apps.update(backend.id, cleared, clock.now());
    await seedDemo(ctx, dataDir);
    assert.deepEqual((await backendApp())?.postLogoutRedirectUris, [], 'not added again');
  });
});
