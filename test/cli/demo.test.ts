// The demo block of `serve --demo` (what `npm start` runs), used as the README says: both
// authorize links work as printed (the webapp's with PKCE and the printed verifier), the demo
// public app keeps its refresh token (registered without rotation for ilert's sample page, as the
// banner and README say), and after `gatehouse apps rotate-secret`
// neither the banner nor demo-credentials.json offers the secret that no longer works.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Browserless } from '../helpers/browserless.ts';
import { postForm, tokenUrl } from '../helpers/token-client.ts';
import { BIN, CLEAN_ENV, serve, type Served } from '../ops/serve-process.ts';

interface Banner {
  password: string;
  backend: { clientId: string; clientSecret?: string; authorize: string; block: string };
  webapp: { clientId: string; authorize: string; verifier: string; block: string };
}

/** The values the demo block printed, by app. */
function banner(output: string): Banner {
  const block = (name: string) => output.slice(output.lastIndexOf(`App "${name}"`)).split('\n\n')[0] ?? '';
  const value = (text: string, label: string) => new RegExp(`^ +${label} +(\\S+)`, 'm').exec(text)?.[1] ?? assert.fail(`no ${label} in:\n${text}`);
  const backend = block('ilert sample backend');
  const webapp = block('ilert sample webapp');
  return {
    password: value(output.slice(output.lastIndexOf('Demo data')), 'Password'),
    backend: { clientId: value(backend, 'client_id'), clientSecret: /client_secret +([0-9a-f]{64})$/m.exec(backend)?.[1], authorize: value(backend, 'authorize'), block: backend },
    webapp: { clientId: value(webapp, 'client_id'), authorize: value(webapp, 'authorize'), verifier: value(webapp, 'code_verifier'), block: webapp },
  };
}

const gatehouse = (dataDir: string, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...CLEAN_ENV, GATEHOUSE_DATA_DIR: dataDir }, encoding: 'utf8', timeout: 30_000 });

describe('the demo block of serve --demo', { timeout: 240_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-banner-'));
  let server: Served | undefined;
  const start = async () => {
    server = await serve(['--demo', '--workers', '1'], { LOG_LEVEL: 'warn' }, /code_verifier/, dataDir);
    return server;
  };
  const stop = async () => {
    await server?.stop();
    server = undefined;
  };
  after(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  let first: Banner;

  it("prints authorize links that work as printed; the webapp keeps its refresh token (ilert's sample page re-sends it)", async () => {
    const running = await start();
    first = banner(running.output());
    const account = { tenant: 'demo', username: 'admin', password: first.password };
    const origin = new URL(first.webapp.authorize).origin;
    const browser = new Browserless(origin);

    const webappCode = await browser.authorizeCode(new URL(first.webapp.authorize).search.slice(1), account);
    const redeemed = await postForm(tokenUrl(origin), { grant_type: 'authorization_code', code: webappCode, client_id: first.webapp.clientId, code_verifier: first.webapp.verifier });
    assert.equal(redeemed.status, 200, redeemed.text);
    assert.equal(redeemed.body.scope, 'profile source:w offline_access');
    const refresh = (token: unknown) => postForm(tokenUrl(origin), { grant_type: 'refresh_token', refresh_token: String(token), client_id: first.webapp.clientId });
    const once = await refresh(redeemed.body.refresh_token);
    assert.equal(once.status, 200, once.text);
    assert.equal(once.body.refresh_token, redeemed.body.refresh_token, 'registered without rotation, as the banner says');
    const twice = await refresh(redeemed.body.refresh_token);
    assert.equal(twice.status, 200, 'the original refresh token keeps working, as ilert\'s sample page needs');
    assert.match(first.webapp.block, /refresh token +the same one on every refresh \(not rotated\)/);

    const backendCode = await browser.authorizeCode(new URL(first.backend.authorize).search.slice(1), account);
    assert.ok(first.backend.clientSecret, 'the backend secret is printed');
    const exchanged = await postForm(tokenUrl(origin), { grant_type: 'authorization_code', code: backendCode, client_id: first.backend.clientId, client_secret: first.backend.clientSecret });
    assert.equal(exchanged.status, 200, exchanged.text);
    await stop();
  });

  it('after apps rotate-secret, shows no dead secret and says how to get a new one', async () => {
    const rotated = gatehouse(dataDir, 'apps', 'rotate-secret', first.backend.clientId, '--json');
    assert.equal(rotated.status, 0, rotated.stderr);
    const changed = gatehouse(dataDir, 'apps', 'update', 'ilert sample webapp', '--refresh-rotation', 'public');
    assert.equal(changed.status, 0, changed.stderr);

    const output = (await start()).output();
    const again = banner(output);
    assert.doesNotMatch(output, new RegExp(first.backend.clientSecret ?? 'unreachable'), 'the old secret is not shown');
    assert.equal(again.backend.clientSecret, undefined);
    assert.match(again.backend.block, new RegExp(`client_secret +\\(rotated: .*npx gatehouse apps rotate-secret ${first.backend.clientId}\\)`));
    assert.match(again.webapp.block, /refresh token +a new one on every refresh/, 'the policy the app has now');
    assert.notEqual(again.webapp.verifier, first.webapp.verifier, 'a fresh verifier each start');

    const file = readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8');
    assert.doesNotMatch(file, new RegExp(first.backend.clientSecret ?? 'unreachable'), 'the file no longer keeps it either');
    const demo = JSON.parse(file) as { apps: { pkce: boolean; clientSecret: string | null; refreshRotation: string }[] };
    assert.equal(demo.apps.find((app) => !app.pkce)?.clientSecret, null);
    assert.equal(demo.apps.find((app) => app.pkce)?.refreshRotation, 'public');
    await stop();
  });
});
