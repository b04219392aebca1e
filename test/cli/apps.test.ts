// `gatehouse apps list|show|update|rotate-secret|verify|delete` as an operator runs them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');

describe('gatehouse apps', () => {
  let dir: string;
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      env: { ...process.env, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: '', DATABASE_URL: '' },
      encoding: 'utf8',
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const json = (...args: string[]) => {
    const result = run(...args, '--json');
    assert.equal(result.code, 0, result.stderr || result.stdout);
    return JSON.parse(result.stdout) as Record<string, unknown> & Record<string, unknown>[];
  };
  let clientId: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-apps-'));
    assert.equal(run('migrate').code, 0);
    assert.equal(run('tenants', 'create', 'acme').code, 0);
    assert.equal(run('tenants', 'create', 'globex').code, 0);
    clientId = String(json('apps', 'create', '--tenant', 'acme', '--name', 'Syncer', '--redirect-uri', 'https://syncer.example/cb').client_id);
    json('apps', 'create', '--tenant', 'globex', '--name', 'Other', '--redirect-uri', 'https://other.example/cb');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists apps, by tenant, without secrets', () => {
    const all = json('apps', 'list') as unknown as Record<string, unknown>[];
    assert.deepEqual(all.map((a) => a.name), ['Other', 'Syncer']);
    const acme = json('apps', 'list', '--tenant', 'acme') as unknown as Record<string, unknown>[];
    assert.deepEqual(acme.map((a) => [a.name, a.tenant, a.verified]), [['Syncer', 'acme', false]]);
    assert.doesNotMatch(run('apps', 'list').stdout + JSON.stringify(all), /secret/);
  });

  it('shows and updates an app by client id or name; bad redirect URLs change nothing', () => {
    const updated = json('apps', 'update', 'Syncer', '--description', 'Syncs alerts', '--redirect-uri', 'https://syncer.example/a', '--redirect-uri', 'http://localhost:9000/cb', '--refresh-rotation', 'always');
    assert.deepEqual(updated.redirect_uris, ['https://syncer.example/a', 'http://localhost:9000/cb']);
    assert.equal(updated.refresh_rotation, 'always');
    const bad = run('apps', 'update', clientId, '--redirect-uri', 'http://evil.example/cb');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^gatehouse: Redirect URL "http:\/\/evil\.example\/cb" .+\n$/);
    const shown = json('apps', 'show', clientId);
    assert.equal(shown.description, 'Syncs alerts');
    assert.deepEqual(shown.redirect_uris, ['https://syncer.example/a', 'http://localhost:9000/cb']);
    assert.equal(run('apps', 'show', 'nope').code, 1);
  });

  it('rotates the secret, verifies, and deletes only with --yes', () => {
    const rotated = json('apps', 'rotate-secret', clientId, '--revoke-tokens');
    assert.match(String(rotated.client_secret), /^[0-9a-f]{64}$/);
    assert.equal(rotated.revoked_families, 0);
    assert.equal(json('apps', 'verify', 'Syncer').verified, true);
    assert.equal(json('apps', 'verify', 'Syncer', '--off').verified, false);

    const unconfirmed = run('apps', 'delete', 'Syncer');
    assert.equal(unconfirmed.code, 1);
    assert.match(unconfirmed.stderr, /--yes/);
    assert.equal(json('apps', 'show', 'Syncer').name, 'Syncer', 'nothing was deleted');
    assert.deepEqual(json('apps', 'delete', 'Syncer', '--yes'), { client_id: clientId, deleted: true, revoked_families: 0 });
    assert.equal(run('apps', 'show', clientId).code, 1);
  });

  it('registers and changes the grant types an app may use, refusing unknown ones', () => {
    const created = json('apps', 'create', '--tenant', 'acme', '--name', 'Codes only', '--redirect-uri', 'https://codes.example/cb', '--grant-type', 'authorization_code');
    assert.deepEqual(json('apps', 'show', String(created.client_id)).grant_types, ['authorization_code']);
    assert.deepEqual(json('apps', 'show', 'Other').grant_types, ['authorization_code', 'refresh_token'], 'the default: both');
    const updated = json('apps', 'update', 'Codes only', '--grant-type', 'refresh_token', '--grant-type', 'authorization_code');
    assert.deepEqual(updated.grant_types, ['refresh_token', 'authorization_code']);
    const unknown = run('apps', 'update', 'Codes only', '--grant-type', 'password');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^gatehouse: Unknown grant type password; the grant types are authorization_code, refresh_token, client_credentials, .*\n$/);
    assert.match(run('apps', 'create', '--help').stdout, /--grant-type <type>.*authorization_code,\s+refresh_token/s);
  });

  it('takes --grant-type device_code for the device grant\'s URN', () => {
    const created = json('apps', 'create', '--tenant', 'acme', '--name', 'TV app', '--redirect-uri', 'https://tv.example/cb', '--grant-type', 'device_code', '--grant-type', 'refresh_token');
    assert.deepEqual(json('apps', 'show', String(created.client_id)).grant_types, ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token']);
    assert.deepEqual(json('apps', 'update', 'TV app', '--grant-type', 'device_code').grant_types, ['urn:ietf:params:oauth:grant-type:device_code']);
    assert.match(run('apps', 'create', '--help').stdout, /--grant-type <type>.*device_code/s);
  });

  it('records each change in the audit log', () => {
    const events = json('audit', '--tenant', 'acme') as unknown as Record<string, unknown>[];
    const types = events.map((e) => e.type);
    for (const type of ['app_created', 'app_updated', 'secret_rotated', 'app_deleted']) assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
  });
});
