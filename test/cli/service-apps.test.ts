// Services on the command line, as docs/services.md uses them: `npm start`'s demo service gets a
// token with the curl line the banner prints and uses it; `gatehouse apps create|update` with
// --service-scope (the built-in API's scopes, or RESOURCE=SCOPE), --clear-service-scopes, and
// --disable / --enable, which stop the running service's token at once and let it ask again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BIN, CLEAN_ENV, serve, type Served } from '../ops/serve-process.ts';

const gatehouse = (dataDir: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...CLEAN_ENV, GATEHOUSE_DATA_DIR: dataDir }, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};
const json = (dataDir: string, ...args: string[]) => {
  const result = gatehouse(dataDir, ...args, '--json');
  assert.equal(result.code, 0, result.stderr || result.stdout);
  return JSON.parse(result.stdout) as Record<string, unknown>;
};
/** Runs a command line as a shell would split it (the banner's curl line has no quotes). */
const shell = (line: string) => {
  const [command = '', ...args] = line.trim().split(/\s+/);
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 15_000 });
  return JSON.parse(result.stdout) as Record<string, unknown>;
};

describe('services on the command line', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-services-'));
  let server: Served | undefined;
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("the demo service gets a token with the banner's curl line, and uses it on the built-in API", async () => {
    server = await serve(['--demo', '--workers', '1'], { LOG_LEVEL: 'warn' }, /get a token/, dataDir);
    const block = server.output().slice(server.output().lastIndexOf('App "Demo service"')).split('\n\n')[0] ?? '';
    assert.match(block, /service scope +source:w/);
    const curl = /get a token +(curl .+)$/m.exec(block)?.[1] ?? assert.fail(`no curl line in:\n${block}`);
    const token = shell(curl);
    assert.equal(token.token_type, 'Bearer');
    assert.equal(token.scope, 'source:w');
    assert.equal(token.refresh_token, undefined);
    const sources = await fetch(`${server.url}/api/alert-sources`, { headers: { authorization: `Bearer ${String(token.access_token)}` } });
    assert.equal(sources.status, 200);
    assert.ok(((await sources.json()) as { name: string }[]).some((source) => source.name === 'Prometheus prod'));

    // Disabling it on the command line stops the running service's token at once; enabling lets it ask again.
    const disabled = json(dataDir, 'apps', 'update', 'Demo service', '--disable');
    assert.equal(disabled.disabled, true);
    assert.equal(disabled.revoked_families, 1);
    assert.match(gatehouse(dataDir, 'apps', 'list').stdout, /disabled +Demo service/);
    assert.equal((await fetch(`${server.url}/api/alert-sources`, { headers: { authorization: `Bearer ${String(token.access_token)}` } })).status, 401);
    assert.equal(shell(curl).error, 'invalid_client');
    assert.equal(json(dataDir, 'apps', 'update', 'Demo service', '--enable').disabled, false);
    assert.equal(shell(curl).token_type, 'Bearer');
    assert.equal(gatehouse(dataDir, 'apps', 'update', 'Demo service', '--disable', '--enable').code, 1);
  });

  it('registers and changes service scopes: the built-in API\'s, RESOURCE=SCOPE, cleared; unknown ones refused', () => {
    json(dataDir, 'resources', 'create', '--identifier', 'https://notes.example/api', '--name', 'Notes', '--family', 'notes=Notes');
    const created = json(dataDir, 'apps', 'create', '--tenant', 'demo', '--name', 'Reporter', '--grant-type', 'client_credentials', '--service-scope', 'source', '--service-scope', 'profile', '--service-scope', 'https://notes.example/api=notes:w');
    const shown = json(dataDir, 'apps', 'show', String(created.client_id));
    assert.deepEqual(shown.service_scopes, ['profile source', 'https://notes.example/api=notes:w']);
    assert.deepEqual(shown.redirect_uris, [], 'a service needs no redirect URL');
    assert.equal(shown.disabled, false);

    const replaced = json(dataDir, 'apps', 'update', 'Reporter', '--service-scope', 'source:w');
    assert.deepEqual(replaced.service_scopes, ['source:w']);
    assert.deepEqual(json(dataDir, 'apps', 'update', 'Reporter', '--clear-service-scopes').service_scopes, []);

    const unknown = gatehouse(dataDir, 'apps', 'update', 'Reporter', '--service-scope', 'https://notes.example/api=source');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /Unknown service scope source: not a scope of Notes/);
    const nowhere = gatehouse(dataDir, 'apps', 'create', '--tenant', 'demo', '--name', 'Nowhere', '--grant-type', 'client_credentials', '--service-scope', 'https://nowhere.example=x');
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.stderr, /no resource "https:\/\/nowhere\.example"/);
    const noRedirect = gatehouse(dataDir, 'apps', 'create', '--tenant', 'demo', '--name', 'Web without redirect');
    assert.equal(noRedirect.code, 1, 'an app using authorization_code still needs a redirect URL');
    assert.match(noRedirect.stderr, /At least one redirect URL is required/);
  });
});
