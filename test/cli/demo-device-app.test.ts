// The demo's device-flow app (for examples/cli): seeded with the demo data, public and allowed the
// device grant; added once to demo data from before it existed, and not again once deleted.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { seedDemo } from '../../src/cli/demo.ts';
import { demoSeeding } from '../helpers/demo-seeding.ts';
import { describeDemo } from '../../src/cli/demo-banner.ts';
import { DEVICE_CODE_GRANT_TYPE } from '../../src/oauth/grants/device-code.ts';

describe('the demo app for examples/cli', () => {
  const demo = demoSeeding('gatehouse-demo-device-');
  const { dataDir, file, credentials } = demo;

  it('is seeded with the demo: a public client allowed the device grant and refresh, after the two ilert samples and the service', async () => {
    const state = await seedDemo(demo.ctx(), dataDir);
    assert.ok(state);
    assert.deepEqual(state.credentials.apps.map((app) => app.name), ['ilert sample backend', 'ilert sample webapp', 'Demo service', 'Gatehouse sample CLI']);
    const entry = credentials().apps.find((app) => app.device);
    assert.ok(entry);
    const app = await demo.store().apps.byClientId(entry.clientId);
    assert.equal(app?.clientSecretHash, null);
    assert.equal(app?.tokenEndpointAuthMethod, 'none');
    assert.deepEqual(app?.grantTypes, [DEVICE_CODE_GRANT_TYPE, 'refresh_token']);
    assert.match(describeDemo(state, 'http://localhost:8080'), new RegExp(`App "Gatehouse sample CLI" \\(public client: device flow, no secret\\)\\n +client_id +${entry.clientId}\\n +try it +npm run example:cli`));
  });

  it('is added once to older demo data, and stays deleted once deleted', async () => {
    const seeded = credentials();
    const device = seeded.apps.find((app) => app.device);
    assert.ok(device);
    await demo.store().apps.delete((await demo.store().apps.byClientId(device.clientId))?.id ?? -1);
    // Demo data as an older version wrote it: no CLI app, no mark.
    writeFileSync(file, JSON.stringify({ ...seeded, apps: seeded.apps.filter((app) => !app.device), cliAppSeeded: undefined }));
    const upgraded = await seedDemo(demo.ctx(), dataDir);
    const added = upgraded?.credentials.apps.find((app) => app.device);
    assert.ok(added && (await demo.store().apps.byClientId(added.clientId)));
    assert.equal(credentials().cliAppSeeded, true);

    await demo.store().apps.delete((await demo.store().apps.byClientId(added.clientId))?.id ?? -1);
    const after = await seedDemo(demo.ctx(), dataDir);
    assert.deepEqual(after?.deleted, ['Gatehouse sample CLI']);
    assert.equal(after?.credentials.apps.some((app) => app.device), false, 'not seeded again');
  });
});
