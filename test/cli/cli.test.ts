// The `gatehouse` command as an operator uses it: real processes on a temporary data dir.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { spawnTracked } from '../helpers/processes.ts';

const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');

function run(dataDir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_SECRET: '', DATABASE_URL: '' },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('gatehouse CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, then reports the schema up to date', () => {
    const first = run(dir, 'migrate', '--json');
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), { applied: MIGRATIONS.map((m) => m.name) });
    const second = run(dir, 'migrate');
    assert.match(second.stdout, /up to date/);
  });

  it('creates a tenant, a user and an app, printing the app credentials once', () => {
    assert.equal(run(dir, 'tenants', 'create', 'acme', '--name', 'Acme Corp').code, 0);
    const user = run(dir, 'users', 'create', '--tenant', 'acme', '--username', 'jane', '--password', 'a long password', '--role', 'ADMIN', '--json');
    assert.equal(user.code, 0, user.stderr);
    assert.equal(JSON.parse(user.stdout).username, 'jane');

    const app = run(dir, 'apps', 'create', '--tenant', 'acme', '--name', 'Syncer', '--redirect-uri', 'https://syncer.example/cb', '--redirect-uri', 'http://localhost:4597/cb', '--json');
    assert.equal(app.code, 0, app.stderr);
    const created = JSON.parse(app.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(created).sort(), ['client_id', 'client_secret', 'id']);
    assert.match(String(created.client_id), /^[0-9a-f]{20}$/);
    assert.match(String(created.client_secret), /^[0-9a-f]{64}$/);
  });

  it('refuses bad input with one clear line and a non-zero exit', () => {
    const duplicate = run(dir, 'apps', 'create', '--tenant', 'acme', '--name', 'Syncer', '--redirect-uri', 'https://x.example/cb');
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /already exists/);
    const insecure = run(dir, 'apps', 'create', '--tenant', 'acme', '--name', 'Other', '--redirect-uri', 'http://evil.example/cb');
    assert.equal(insecure.code, 1);
    assert.match(insecure.stderr, /http only for localhost/);
    const noTenant = run(dir, 'users', 'create', '--tenant', 'nope', '--username', 'x', '--password', 'long enough');
    assert.equal(noTenant.code, 1);
    assert.match(noTenant.stderr, /no tenant "nope"/);
    const badRole = run(dir, 'users', 'create', '--tenant', 'acme', '--username', 'x', '--password', 'long enough', '--role', 'GOD');
    assert.notEqual(badRole.code, 0);
  });

  it('lists the signing key', () => {
    const keys = run(dir, 'keys', 'list', '--json');
    assert.equal(keys.code, 0, keys.stderr);
    const list = JSON.parse(keys.stdout) as { kid: string; alg: string }[];
    assert.equal(list.length, 1);
    assert.equal(list[0]?.alg, 'RS256');
    assert.equal(statSync(join(dir, 'gatehouse.secret')).mode & 0o777, 0o600);
  });

  it('serves with demo data, prints the credentials, and stops cleanly on SIGTERM', async () => {
    const demoDir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawnTracked(process.execPath, [BIN, 'serve', '--demo', '--port', String(port)], {
      env: { ...process.env, GATEHOUSE_DATA_DIR: demoDir, LOG_LEVEL: 'warn', GATEHOUSE_SECRET: '', DATABASE_URL: '' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    try {
      const deadline = Date.now() + 30_000;
      while (!output.includes('ilert sample webapp') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(output, /Username\s+admin/);
      assert.match(output, /client_secret\s+[0-9a-f]{64}/);
      assert.match(output, /authorize\s+http:\/\/localhost:\d+\/api\/developers\/oauth2\/authorize\?client_id=[0-9a-f]{20}/);
      assert.equal(statSync(join(demoDir, 'demo-credentials.json')).mode & 0o777, 0o600);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exit, 0);
    } finally {
      child.kill('SIGKILL');
      rmSync(demoDir, { recursive: true, force: true });
    }
  });

  it('says loudly when rate limits are switched off', async () => {
    const offDir = mkdtempSync(join(tmpdir(), 'gatehouse-off-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawnTracked(process.execPath, [BIN, 'serve', '--workers', '1', '--port', String(port)], {
      env: { ...process.env, GATEHOUSE_DATA_DIR: offDir, LOG_LEVEL: 'warn', GATEHOUSE_SECRET: '', DATABASE_URL: '', GATEHOUSE_RATE_LIMITS: 'off' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    try {
      const deadline = Date.now() + 30_000;
      while (!output.includes('rate limits are OFF') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(output, /WARNING: rate limits are OFF/);
      assert.match(output, /RATE LIMITS ARE OFF/, 'and the log says it too');
    } finally {
      child.kill('SIGKILL');
      rmSync(offDir, { recursive: true, force: true });
    }
  });
});
