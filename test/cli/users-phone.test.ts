// `gatehouse users set-phone` and `users create --phone`: the user's OpenID Connect phone number,
// stored in E.164 form, refused when it is not one, listed, and removed; each change audited.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');

describe('gatehouse users set-phone', () => {
  let dir: string;
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: '', DATABASE_URL: '' }, encoding: 'utf8' });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const listed = (username: string) =>
    (JSON.parse(run('users', 'list', '--tenant', 'acme', '--json').stdout) as { username: string; phone_number: string | null }[]).find((u) => u.username === username)?.phone_number;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-phone-'));
    assert.equal(run('migrate').code, 0);
    assert.equal(run('tenants', 'create', 'acme').code, 0);
    assert.equal(run('users', 'create', '--tenant', 'acme', '--username', 'pat', '--password', 'a long password').code, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sets the number in E.164 form, refuses one that is not, and removes it', () => {
    assert.equal(listed('pat'), null);
    const set = run('users', 'set-phone', '--tenant', 'acme', '--username', 'pat', '+49 (151) 1234-5678', '--json');
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout), { id: 1, username: 'pat', tenant: 'acme', phone_number: '+4915112345678' });
    assert.equal(listed('pat'), '+4915112345678');
    const national = run('users', 'set-phone', '--tenant', 'acme', '--username', 'pat', '0151 12345678');
    assert.equal(national.code, 1);
    assert.match(national.stderr, /phone number must start with \+ and the country code/);
    const letters = run('users', 'set-phone', '--tenant', 'acme', '--username', 'pat', '+49 151 CALL ME');
    assert.equal(letters.code, 1);
    assert.match(letters.stderr, /only digits, spaces, dashes, dots and parentheses/);
    assert.equal(listed('pat'), '+4915112345678', 'unchanged');
    const neither = run('users', 'set-phone', '--tenant', 'acme', '--username', 'pat');
    assert.equal(neither.code, 1);
    assert.match(neither.stderr, /either a phone number or --off/);
    const both = run('users', 'set-phone', '--tenant', 'acme', '--username', 'pat', '+4915112345678', '--off');
    assert.equal(both.code, 1);
    const off = run('users', 'set-phone', '--tenant', 'acme', '--username', 'pat', '--off');
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stdout, /pat in acme has no phone number now/);
    assert.equal(listed('pat'), null);
    const audit = run('audit', '--tenant', 'acme', '--json').stdout;
    assert.match(audit, /phone number set/);
    assert.match(audit, /phone number removed/);
  });

  it('users create --phone stores the number, and refuses a bad one without creating the user', () => {
    const created = run('users', 'create', '--tenant', 'acme', '--username', 'kim', '--password', 'a long password', '--phone', '+1 555.010.0199');
    assert.equal(created.code, 0, created.stderr);
    assert.equal(listed('kim'), '+15550100199');
    const short = run('users', 'create', '--tenant', 'acme', '--username', 'lou', '--password', 'a long password', '--phone', '+1234');
    assert.equal(short.code, 1);
    assert.match(short.stderr, /8 to 15 digits/);
    assert.equal(listed('lou'), undefined, 'not created');
  });
});
