// `gatehouse users set-picture`: the user's OpenID Connect picture, set, refused when not https,
// listed, and removed; each change audited.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');

describe('gatehouse users set-picture', () => {
  let dir: string;
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: '', DATABASE_URL: '' }, encoding: 'utf8' });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const listed = () => (JSON.parse(run('users', 'list', '--tenant', 'acme', '--json').stdout) as { picture: string | null }[])[0]?.picture;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-picture-'));
    assert.equal(run('migrate').code, 0);
    assert.equal(run('tenants', 'create', 'acme').code, 0);
    assert.equal(run('users', 'create', '--tenant', 'acme', '--username', 'pat', '--password', 'a long password').code, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sets, refuses a non-https URL, and removes the picture', () => {
    assert.equal(listed(), null);
    const set = run('users', 'set-picture', '--tenant', 'acme', '--username', 'pat', 'https://pictures.example/pat.png', '--json');
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout), { id: 1, username: 'pat', tenant: 'acme', picture: 'https://pictures.example/pat.png' });
    assert.equal(listed(), 'https://pictures.example/pat.png');
    const plain = run('users', 'set-picture', '--tenant', 'acme', '--username', 'pat', 'http://pictures.example/pat.png');
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /picture URL must be an https URL/);
    assert.equal(listed(), 'https://pictures.example/pat.png', 'unchanged');
    const neither = run('users', 'set-picture', '--tenant', 'acme', '--username', 'pat');
    assert.equal(neither.code, 1);
    assert.match(neither.stderr, /either a URL or --off/);
    const off = run('users', 'set-picture', '--tenant', 'acme', '--username', 'pat', '--off');
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stdout, /pat in acme has no picture now/);
    assert.equal(listed(), null);
    const audit = run('audit', '--tenant', 'acme', '--json').stdout;
    assert.match(audit, /picture set/);
    assert.match(audit, /picture removed/);
  });
});
