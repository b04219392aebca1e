// Only `serve`, `migrate` and a command given `--create` may start a new database. Every other
// command refuses a missing or empty data dir (or a PostgreSQL database without the schema) with
// one line naming where it looked and the flag to use, exit 1, and leaves nothing behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { STORE_KINDS } from '../helpers/stores.ts';

const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');

function gatehouse(env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, GATEHOUSE_SECRET: '', DATABASE_URL: '', GATEHOUSE_CONFIG: '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Commands that only read or change existing data, each as an operator might mistype its data dir. */
const EXISTING_DATA_ONLY = [
  ['apps', 'list'],
  ['tenants', 'create', 'acme'],
  ['users', 'create', '--tenant', 'acme', '--username', 'jane', '--password', 'a long password'],
  ['keys', 'rotate'],
  ['audit'],
];

describe('a command on a data dir that holds no database', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'gatehouse-datadir-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a missing data dir with one line naming it and --create, and creates nothing', () => {
    const missing = join(root, 'elsewhere');
    for (const args of EXISTING_DATA_ONLY) {
      const result = gatehouse({}, ...args, '--data-dir', missing);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.equal(result.stdout, '', args.join(' '));
      assert.equal(
        result.stderr,
        `gatehouse: no database in ${missing} (--data-dir / GATEHOUSE_DATA_DIR); give the data dir that holds gatehouse.sqlite, or add --create to start a new one there\n`,
        args.join(' '),
      );
      assert.equal(existsSync(missing), false, `${args.join(' ')} created nothing`);
    }
  });

  it('refuses an empty directory, and an empty database file, leaving them as they were', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const refused = gatehouse({ GATEHOUSE_DATA_DIR: empty }, 'apps', 'list');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^gatehouse: no database in .+empty .*--create.*\n$/);
    assert.deepEqual(readdirSync(empty), [], 'no database, no secret');

    const blank = join(root, 'blank');
    mkdirSync(blank);
    writeFileSync(join(blank, 'gatehouse.sqlite'), '');
    assert.equal(gatehouse({ GATEHOUSE_DATA_DIR: blank }, 'tenants', 'list').code, 1);
    assert.equal(readdirSync(blank).includes('gatehouse.secret'), false);
  });

  it('does not make up a new secret for a database whose keys were encrypted with another', () => {
    const kept = join(root, 'kept');
    assert.equal(gatehouse({ GATEHOUSE_DATA_DIR: kept }, 'tenants', 'create', 'acme', '--create').code, 0, 'a signing key and the secret exist');
    rmSync(join(kept, 'gatehouse.secret'));
    const refused = gatehouse({ GATEHOUSE_DATA_DIR: kept }, 'apps', 'list');
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      `gatehouse: GATEHOUSE_SECRET: unset, and ${kept} holds no gatehouse.secret, but the database's signing keys are encrypted with one; set GATEHOUSE_SECRET (--secret) or give the data dir that holds gatehouse.secret\n`,
    );
    assert.equal(existsSync(join(kept, 'gatehouse.secret')), false, 'no new, useless secret');
  });

  it('answers in JSON with --json', () => {
    const result = gatehouse({}, 'apps', 'list', '--json', '--data-dir', join(root, 'nowhere'));
    assert.equal(result.code, 1);
    assert.match(String((JSON.parse(result.stdout) as { error: string }).error), /^no database in .+nowhere .*--create/);
  });

  it('creates the data dir with --create, and migrate creates one too', () => {
    const fresh = join(root, 'fresh');
    const created = gatehouse({}, 'tenants', 'create', 'acme', '--data-dir', fresh, '--create');
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(JSON.parse(gatehouse({}, 'tenants', 'list', '--json', '--data-dir', fresh).stdout).map((t: { slug: string }) => t.slug), ['acme']);

    const migrated = join(root, 'migrated');
    assert.equal(gatehouse({ GATEHOUSE_DATA_DIR: migrated }, 'migrate').code, 0);
    const listed = gatehouse({ GATEHOUSE_DATA_DIR: migrated }, 'apps', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stdout, 'no apps\n');
  });
});

const postgres = STORE_KINDS.find((kind) => kind.name === 'postgres');

describe('a command on a PostgreSQL database without the schema', { skip: postgres ? false : 'PostgreSQL is not reachable' }, () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'gatehouse-datadir-pg-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** The tables in the database's (test) schema. */
  async function tables(databaseUrl: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>('select table_name from information_schema.tables where table_schema = current_schema() order by 1');
      return rows.map((row) => row.table_name);
    } finally {
      await client.end();
    }
  }

  it('refuses it with one line naming the database and --create, and creates nothing', async () => {
    const database = await (postgres ?? assert.fail()).database();
    const dataDir = join(root, 'data');
    const env = { ...database.env, GATEHOUSE_DATA_DIR: dataDir };
    for (const args of [['apps', 'list'], ['tenants', 'create', 'acme'], ['keys', 'list']]) {
      const result = gatehouse(env, ...args);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stderr, /^gatehouse: no Gatehouse schema in the PostgreSQL database at 127\.0\.0\.1:5432\/gatehouse_test_\S+ \(--database-url \/ DATABASE_URL\); check the URL, or add --create to create the schema there\n$/);
    }
    assert.deepEqual(await tables(database.env.DATABASE_URL ?? ''), [], 'no schema was created');
    assert.equal(existsSync(dataDir), false, 'no data dir and no secret either');

    assert.equal(gatehouse(env, 'migrate').code, 0);
    const listed = gatehouse(env, 'apps', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stdout, 'no apps\n');
  });

  it('creates the schema with --create', async () => {
    const database = await (postgres ?? assert.fail()).database();
    const env = { ...database.env, GATEHOUSE_DATA_DIR: join(root, 'created') };
    const created = gatehouse(env, 'tenants', 'create', 'acme', '--create');
    assert.equal(created.code, 0, created.stderr);
    assert.ok((await tables(database.env.DATABASE_URL ?? '')).includes('gatehouse_migrations'));
  });
});
