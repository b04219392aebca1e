// `npm run example:webapp` and `npm run example:webservice` as a user runs them (the scripts'
// node commands as child processes): their settings from the environment or from the demo
// credentials `npm start` writes, and a one-line explanation when they cannot start.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSettings, SettingsError } from '../../examples/shared/settings.ts';
import type { DemoCredentials } from '../../src/cli/demo.ts';
import { registerExampleApp } from '../helpers/example-apps.ts';
import { runExampleScript, startScript } from '../helpers/example-process.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { freePort } from '../../scripts/free-port.ts';

describe('npm run example:webapp / example:webservice', () => {
  let server: TestServer;
  let dataDir: string;
  before(async () => {
    server = await startTestServer();
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-examples-'));
  });
  after(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A demo-credentials.json as `npm start` writes it, for apps registered on these ports. */
  async function writeDemoFile(webappPort: number, backendPort: number): Promise<DemoCredentials> {
    // App names are unique per tenant; the port tells these apart.
    const webapp = await registerExampleApp(server, 'webapp', webappPort, `ilert sample webapp ${webappPort}`);
    const backend = await registerExampleApp(server, 'webservice', backendPort, `ilert sample backend ${backendPort}`);
    const demo: DemoCredentials = {
      tenant: 'acme',
      username: 'jane',
      password: 'not used here',
      apps: [
        { name: 'ilert sample backend', ...backend, redirectUri: `http://localhost:${backendPort}/authorize-result`, scope: 'profile source:w', pkce: false, refreshRotation: 'public' },
        { name: 'ilert sample webapp', ...webapp, redirectUri: `http://localhost:${webappPort}/webapp`, scope: 'profile source:w offline_access', pkce: true, refreshRotation: 'public' },
      ],
    };
    await writeFile(join(dataDir, 'demo-credentials.json'), JSON.stringify(demo));
    return demo;
  }

  it('example:webapp takes the public app from the demo credentials and serves the page on EXAMPLE_PORT', async () => {
    const port = await freePort();
    const demo = await writeDemoFile(port, await freePort());
    const webapp = demo.apps.find((a) => a.pkce);
    const running = await runExampleScript('example:webapp', { GATEHOUSE_URL: server.url, GATEHOUSE_DATA_DIR: dataDir, EXAMPLE_PORT: String(port) });
    try {
      assert.equal(running.url, `http://localhost:${port}/webapp`);
      assert.match(running.output(), new RegExp(`client id\\s+${webapp?.clientId}, from .*demo-credentials\\.json \\(app "ilert sample webapp"\\)`));
      assert.doesNotMatch(running.output(), /Warning/);
      const page = await fetch(running.url);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.ok(html.includes(`"clientId":"${webapp?.clientId}"`));
      assert.ok(!html.includes(demo.apps[0]?.clientSecret ?? '-'), 'no secret in the page');
      assert.match(page.headers.get('content-security-policy') ?? '', new RegExp(`connect-src ${server.url}`));
      assert.equal((await fetch(`http://localhost:${port}/webapp/app.js`)).status, 200);
    } finally {
      await running.stop();
    }
  });

  it('example:webservice takes GATEHOUSE_CLIENT_ID and _SECRET and starts the flow at /authorize', async () => {
    const port = await freePort();
    const app = await registerExampleApp(server, 'webservice', port, 'Env web service');
    const env = { GATEHOUSE_URL: server.url, GATEHOUSE_CLIENT_ID: app.clientId, GATEHOUSE_CLIENT_SECRET: app.clientSecret, EXAMPLE_PORT: String(port) };
    const running = await runExampleScript('example:webservice', env);
    try {
      assert.match(await (await fetch(running.url)).text(), /Connect with Gatehouse/);
      const start = await fetch(`${running.url}authorize`, { redirect: 'manual' });
      assert.equal(start.status, 302);
      const location = new URL(start.headers.get('location') ?? '');
      assert.equal(`${location.origin}${location.pathname}`, `${server.url}/api/developers/oauth2/authorize`);
      assert.equal(location.searchParams.get('client_id'), app.clientId);
      assert.equal(location.searchParams.get('redirect_uri'), `http://localhost:${port}/authorize-result`);
      assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
      assert.match(start.headers.get('set-cookie') ?? '', new RegExp(`^example_state=${location.searchParams.get('state')}; Path=/authorize-result; HttpOnly; SameSite=Lax`));
      assert.ok(!running.output().includes(app.clientSecret), 'the secret is never printed');
    } finally {
      await running.stop();
    }
  });

  it('without a reachable Gatehouse, or without a client id, it exits 1 and says what to do', async () => {
    const closedPort = await freePort();
    const unreachable = startScript('example:webapp', { GATEHOUSE_URL: `http://localhost:${closedPort}`, GATEHOUSE_CLIENT_ID: 'abc', EXAMPLE_PORT: String(await freePort()) });
    assert.equal(await unreachable.exit, 1);
    assert.match(unreachable.process.output(), new RegExp(`Cannot start the example web app: cannot read Gatehouse's metadata at http://localhost:${closedPort}: .*Is it running \\(\`npm start\`\\)`));

    const noApp = startScript('example:webservice', { GATEHOUSE_URL: server.url, GATEHOUSE_DATA_DIR: join(dataDir, 'nothing-here'), EXAMPLE_PORT: '0' });
    assert.equal(await noApp.exit, 1);
    assert.match(noApp.process.output(), /no client id: set GATEHOUSE_CLIENT_ID and GATEHOUSE_CLIENT_SECRET, or start Gatehouse once with `npm start`/);
  });

  it('settings: the demo app registered for another port is named in a warning; bad values are refused', async () => {
    await writeDemoFile(4597, 4598);
    const settings = loadSettings('webapp', { GATEHOUSE_DATA_DIR: dataDir, EXAMPLE_PORT: '4600' });
    assert.equal(settings.port, 4600);
    assert.equal(settings.gatehouseUrl, 'http://localhost:8080');
    assert.match(settings.warnings.join('\n'), /registered for http:\/\/localhost:4597\/webapp, not http:\/\/localhost:4600\/webapp; add it with: npx gatehouse apps update/);
    assert.equal(loadSettings('webservice', { GATEHOUSE_DATA_DIR: dataDir, EXAMPLE_PORT: '4598' }).warnings.length, 0);
    assert.throws(() => loadSettings('webapp', { GATEHOUSE_URL: 'ftp://x', GATEHOUSE_CLIENT_ID: 'a' }), SettingsError);
    assert.throws(() => loadSettings('webapp', { GATEHOUSE_TENANT: 'Not A Slug', GATEHOUSE_CLIENT_ID: 'a' }), /GATEHOUSE_TENANT must be a tenant slug/);
    assert.throws(() => loadSettings('webservice', { GATEHOUSE_CLIENT_ID: 'a' }), /GATEHOUSE_CLIENT_SECRET is missing/);
  });

  it('settings: a demo file whose backend secret was rotated says how to give the new one', async () => {
    const demo = await writeDemoFile(4611, 4612);
    const backend = demo.apps.find((app) => !app.pkce) ?? assert.fail();
    // What `serve --demo` writes once the secret no longer works (src/cli/demo.ts).
    await writeFile(join(dataDir, 'demo-credentials.json'), JSON.stringify({ ...demo, apps: demo.apps.map((app) => (app.pkce ? app : { ...app, clientSecret: null })) }));
    assert.throws(
      () => loadSettings('webservice', { GATEHOUSE_DATA_DIR: dataDir, EXAMPLE_PORT: '4612' }),
      new RegExp(`secret of the demo app "ilert sample backend" was rotated.*GATEHOUSE_CLIENT_ID=${backend.clientId} and GATEHOUSE_CLIENT_SECRET .*apps rotate-secret ${backend.clientId}`),
    );
    assert.equal(loadSettings('webapp', { GATEHOUSE_DATA_DIR: dataDir, EXAMPLE_PORT: '4611' }).clientSecret, undefined, 'the web app needs no secret');
  });
});
