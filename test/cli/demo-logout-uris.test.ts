// The demo's backend sample carries the OpenID Connect logout URIs of examples/webservice's "Sign in
// with Gatehouse": seeded with the demo, added once to demo data from before them, not again once removed.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { seedDemo } from '../../src/cli/demo.ts';
import { demoSeeding } from '../helpers/demo-seeding.ts';

describe("the demo backend sample's logout URIs", () => {
  const demo = demoSeeding('gatehouse-demo-logout-');
  const { dataDir, file, clock, credentials } = demo;
  const backendApp = async () => demo.store().apps.byClientId(credentials().apps.find((app) => app.name === 'ilert sample backend')?.clientId ?? '');
  const cleared = { postLogoutRedirectUris: [], backchannelLogoutUri: null };

  it('are seeded with the demo, on the backend sample only', async () => {
    await seedDemo(demo.ctx(), dataDir);
    const backend = await backendApp();
    assert.deepEqual(backend?.postLogoutRedirectUris, ['http://localhost:4597/signed-out']);
    assert.equal(backend?.backchannelLogoutUri, 'http://localhost:4597/backchannel-logout');
    const webapp = await demo.store().apps.byClientId(credentials().apps.find((app) => app.name === 'ilert sample webapp')?.clientId ?? '');
    assert.deepEqual([webapp?.postLogoutRedirectUris, webapp?.backchannelLogoutUri], [[], null]);
    assert.equal(credentials().logoutUrisSeeded, true);
  });

  it('are added once to older demo data, and stay removed once removed', async () => {
    const backend = await backendApp();
    assert.ok(backend);
    // Demo data as an older version wrote it: no logout URIs, no mark.
    await demo.store().apps.update(backend.id, cleared, clock.now());
    writeFileSync(file, JSON.stringify({ ...credentials(), logoutUrisSeeded: undefined }));
    await seedDemo(demo.ctx(), dataDir);
    assert.deepEqual((await backendApp())?.postLogoutRedirectUris, ['http://localhost:4597/signed-out']);
    assert.equal(credentials().logoutUrisSeeded, true);

    await demo.store().apps.update(backend.id, cleared, clock.now());
    await seedDemo(demo.ctx(), dataDir);
    assert.deepEqual((await backendApp())?.postLogoutRedirectUris, [], 'not added again');
  });
});
