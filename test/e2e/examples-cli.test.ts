// examples/cli as `npm run example:cli` runs it, a child process against a real Gatehouse: it
// prints the code, the link and a QR code, polls while the person approves on /device (the
// pages' forms, posted as a browser would), then calls the API as that person. Denying ends it.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../src/oauth/clock.ts';
import { decide, publicDeviceApp, signedInPerson } from '../helpers/device-flow.ts';
import { startScript } from '../helpers/example-process.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Resolves with what matched once the output shows it; rejects after the timeout or when the process exits first. */
function waitFor(output: () => string, pattern: RegExp, exit: Promise<number | null>, timeoutMs = 20_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output()}`))), timeoutMs);
    const check = setInterval(() => {
      const match = pattern.exec(output());
      if (match) finish(() => resolve(match));
    }, 50);
    void exit.then(() => {
      const match = pattern.exec(output());
      finish(() => (match ? resolve(match) : reject(new Error(`exited before ${pattern}:\n${output()}`))));
    });
    function finish(settle: () => void) {
      clearTimeout(timer);
      clearInterval(check);
      settle();
    }
  });
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms).unref())]);

describe('examples/cli (npm run example:cli)', () => {
  let server: TestServer;
  let dataDir: string;
  before(async () => {
    // The CLI waits the real 5 s between polls: the server's clock must move with it.
    server = await startTestServer({ appDeps: { clock: systemClock } });
    dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-example-'));
  });
  after(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('signs in by device flow with the demo app, shows code, link and QR code, and prints the user', async () => {
    const app = await publicDeviceApp(server, { name: 'Gatehouse sample CLI' });
    // As `npm start` writes it: the CLI finds its app in the demo credentials.
    await writeFile(join(dataDir, 'demo-credentials.json'), JSON.stringify({ tenant: 'acme', username: 'jane', password: 'x', apps: [{ name: app.name, clientId: app.clientId, clientSecret: null, redirectUri: '', scope: 'profile', pkce: true, refreshRotation: 'public', device: true }] }));
    const cli = startScript('example:cli', { GATEHOUSE_URL: server.url, GATEHOUSE_DATA_DIR: dataDir });
    try {
      const [, userCode] = await waitFor(cli.process.output, /enter the code:\s+([A-Z]{4}-[A-Z]{4})/, cli.exit);
      assert.ok(userCode);
      await waitFor(cli.process.output, /Waiting for you to approve/, cli.exit);
      const output = cli.process.output();
      assert.match(output, new RegExp(`Open ${server.url}/device on your phone`));
      assert.match(output, new RegExp(`it opens ${server.url}/device\\?user_code=${userCode}`));
      assert.match(output, /[█▀▄]{10,}/, 'a QR code drawn in the terminal');
      assert.match(output, new RegExp(`client ${app.clientId} \\(from .*demo-credentials\\.json \\(app "Gatehouse sample CLI"\\)\\)`));

      const person = await signedInPerson(server);
      const done = await decide(person, userCode, 'allow');
      assert.equal(done.status, 200);
      assert.equal(await withTimeout(cli.exit, 30_000, 'the CLI'), 0, cli.process.output());
      assert.match(cli.process.output(), /Approved\. Got an access token for scope "profile" and a refresh token\./);
      assert.match(cli.process.output(), /Signed in as Jane Doe \(username jane, jane@acme\.example\)\./);
    } finally {
      await cli.process.stop();
    }
  });

  it('says access was denied, and exits 1, when the person denies', async () => {
    const app = await publicDeviceApp(server);
    const cli = startScript('example:cli', { GATEHOUSE_URL: server.url, GATEHOUSE_CLIENT_ID: app.clientId });
    try {
      const [, userCode] = await waitFor(cli.process.output, /enter the code:\s+([A-Z]{4}-[A-Z]{4})/, cli.exit);
      assert.ok(userCode);
      const person = await signedInPerson(server);
      assert.equal((await decide(person, userCode, 'deny')).status, 200);
      assert.equal(await withTimeout(cli.exit, 30_000, 'the CLI'), 1);
      assert.match(cli.process.output(), /access was denied on the verification page/);
    } finally {
      await cli.process.stop();
    }
  });

  it('explains an app that may not use the device flow, without a stack trace', async () => {
    const cli = startScript('example:cli', { GATEHOUSE_URL: server.url, GATEHOUSE_CLIENT_ID: server.webapp.clientId });
    assert.equal(await withTimeout(cli.exit, 20_000, 'the CLI'), 1);
    assert.match(cli.process.output(), /refused \(unauthorized_client: This app may not use the device flow/);
    assert.doesNotMatch(cli.process.output(), /\bat .*\.ts:\d+/);
  });
});
