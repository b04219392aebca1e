// The small things an operator notices on the command line: --version, listing tenants and
// users, passwords that need not sit in the shell history, roles in any case, and a description
// for every command in --help.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verify } from '@node-rs/argon2';
import { openStore } from '../../src/store/open.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/gatehouse.js');
const SCRIPT = '/usr/bin/script';
const hasScript = spawnSync(SCRIPT, ['--version']).status === 0;

describe('gatehouse commands', () => {
  let dir: string;
  const env = () => ({ ...process.env, GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET: '', DATABASE_URL: '', GATEHOUSE_CONFIG: '' });
  const run = (args: string[], input?: string) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { env: env(), encoding: 'utf8', input, timeout: 30_000 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const json = (...args: string[]) => {
    const result = run([...args, '--json']);
    assert.equal(result.code, 0, result.stderr || result.stdout);
    return JSON.parse(result.stdout) as Record<string, unknown>[];
  };
  /** Whether the user's stored password is exactly `password`. */
  async function passwordIs(username: string, password: string): Promise<boolean> {
    const store = await openStore({ dataDir: dir, create: false });
    try {
      const tenant = await store.tenants.bySlug('acme');
      const user = tenant && (await store.users.forLogin(tenant.id, username));
      return user !== undefined && (await verify(user.passwordHash, password));
    } finally {
      await store.close();
    }
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-commands-'));
    assert.equal(run(['migrate']).code, 0);
    assert.equal(run(['tenants', 'create', 'acme', '--name', 'Acme Inc.']).code, 0);
    assert.equal(run(['tenants', 'create', 'globex']).code, 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) assert.deepEqual(run([flag]), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('lists tenants', () => {
    assert.deepEqual(
      json('tenants', 'list').map(({ slug, name }) => ({ slug, name })),
      [
        { slug: 'acme', name: 'Acme Inc.' },
        { slug: 'globex', name: 'globex' },
      ],
    );
    assert.match(run(['tenants', 'list']).stdout, /^acme {4}Acme Inc\. {2}created \S+\nglobex {2}globex {5}created \S+\n$/);
  });

  it('reads a password from standard input, and takes --role in any case', async () => {
    const created = run(['users', 'create', '--tenant', 'acme', '--username', 'jane', '--password-stdin', '--role', 'admin', '--json'], 'from stdin 123\n');
    assert.equal(created.code, 0, created.stderr);
    assert.equal((JSON.parse(created.stdout) as { role: string }).role, 'ADMIN');
    assert.equal(await passwordIs('jane', 'from stdin 123'), true, 'the first line, without its newline');

    const badRole = run(['users', 'create', '--tenant', 'acme', '--username', 'x', '--password-stdin', '--role', 'god'], 'long enough\n');
    assert.equal(badRole.code, 1);
    assert.match(badRole.stderr, /'god' is invalid\. expected one of STAKEHOLDER, GUEST, RESPONDER, USER, ADMIN \(in any case\)/);
  });

  it('refuses to create a user without a password it can read, in one line', () => {
    const none = run(['users', 'create', '--tenant', 'acme', '--username', 'x'], '');
    assert.deepEqual(none, { code: 1, stdout: '', stderr: 'gatehouse: no password: give --password-stdin and pipe it in, or run the command in a terminal to be asked for it\n' });
    const empty = run(['users', 'create', '--tenant', 'acme', '--username', 'x', '--password-stdin'], '\n');
    assert.deepEqual(empty, { code: 1, stdout: '', stderr: 'gatehouse: --password-stdin: standard input held no password\n' });
    const both = run(['users', 'create', '--tenant', 'acme', '--username', 'x', '--password', 'long enough', '--password-stdin'], 'long enough\n');
    assert.equal(both.code, 1);
    assert.match(both.stderr, /either --password or --password-stdin/);
  });

  it('asks for the password twice, without echoing it, in a terminal', { skip: hasScript ? false : `${SCRIPT} is missing` }, async () => {
    // `script` gives the command a terminal; the typed lines reach it through that terminal.
    const command = [process.execPath, BIN, 'users', 'create', '--tenant', 'acme', '--username', 'pat'].join(' ');
    const typed = (first: string, second: string) =>
      spawnSync('sh', ['-c', `(sleep 4; printf '${first}\\r'; sleep 1; printf '${second}\\r'; sleep 4) | ${SCRIPT} -qec "${command}" /dev/null`], { env: env(), encoding: 'utf8', timeout: 60_000 });
    const mismatch = typed('typed secret 1', 'typed secret 2');
    assert.notEqual(mismatch.status, 0);
    assert.match(mismatch.stdout, /the passwords did not match/);
    const prompted = typed('typed secret 1', 'typed secret 1');
    assert.equal(prompted.status, 0, prompted.stdout);
    assert.match(prompted.stdout, /Password: \r?\nRepeat the password: \r?\ncreated user pat/);
    assert.doesNotMatch(prompted.stdout, /typed secret/, 'nothing typed is echoed');
    assert.equal(await passwordIs('pat', 'typed secret 1'), true);
  });

  it('lists users, by tenant, without password hashes', () => {
    const all = json('users', 'list');
    assert.deepEqual(
      all.map(({ tenant, username, role }) => ({ tenant, username, role })),
      [
        { tenant: 'acme', username: 'jane', role: 'ADMIN' },
        ...(hasScript ? [{ tenant: 'acme', username: 'pat', role: 'USER' }] : []),
      ],
    );
    assert.doesNotMatch(JSON.stringify(all) + run(['users', 'list']).stdout, /argon2|password/i);
    assert.deepEqual(json('users', 'list', '--tenant', 'globex'), []);
    assert.equal(run(['users', 'list', '--tenant', 'globex']).stdout, 'no users\n');
    assert.match(run(['users', 'list', '--tenant', 'acme']).stdout, /^acme {2}jane {2}ADMIN {2}active {2}jane@example\.com\n/);
    assert.match(run(['users', 'list', '--tenant', 'nope']).stderr, /no tenant "nope"/);
  });

  it('describes every command in --help', () => {
    for (const group of [[], ['apps'], ['tenants'], ['users'], ['keys']]) {
      const help = run([...group, '--help']).stdout;
      const commands = help.slice(help.indexOf('\nCommands:\n') + 11).split('\n').filter((line) => /^ {2}\S/.test(line));
      assert.ok(commands.length > 1, `${group.join(' ')} lists commands`);
      for (const line of commands) assert.match(line, /^ {2}\S.*? {2,}\S/, `gatehouse ${group.join(' ')} --help: "${line.trim()}" has a description`);
    }
  });
});
