// Runs store and HTTP tests against every database the store supports: SQLite always, PostgreSQL
// when reachable (required when CI=true). Each test process creates its own PostgreSQL database
// (gatehouse_test_<pid>_<random>) and drops it at the end; each store opened in it gets a fresh
// schema, so tests never see each other's rows and parallel runs never meet.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import pg from 'pg';
import { openStore, type StoreOptions } from '../../src/store/open.ts';
import type { App } from '../../src/domain/app.ts';
import type { Tenant, User } from '../../src/domain/identity.ts';
import type { Store } from '../../src/store/store.ts';

export type StoreKindName = 'sqlite' | 'postgres';

/** An empty database that several stores (as several instances would) can open. */
export interface TestDatabase {
  kind: StoreKindName;
  options: StoreOptions;
  /** Environment for a `gatehouse` child process that should use this database. */
  env: Record<string, string>;
  open(): Promise<Store>;
}

export interface StoreKind {
  name: StoreKindName;
  /** A fresh, migrated, empty store. */
  open(): Promise<Store>;
  /** A fresh, empty (not yet migrated) database to open several stores on. */
  database(): Promise<TestDatabase>;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const cleanups: (() => Promise<void> | void)[] = [];
// Attached to the file's root test: runs once every suite in the file has finished.
after(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sqlite: StoreKind = {
  name: 'sqlite',
  open: () => openStore({ dataDir: '', memory: true }),
  async database() {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const options = { dataDir };
    return { kind: 'sqlite', options, env: { GATEHOUSE_DATA_DIR: dataDir, DATABASE_URL: '' }, open: () => openStore(options) };
  },
};

/** Connects to the maintenance database; the reason it cannot, or undefined when it can. */
async function postgresProblem(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || String(error) : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Drops databases of test runs that were killed before they could (their process is gone and nobody is connected). */
async function dropLeftovers(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    `select datname from pg_database d where datname like 'gatehouse\\_test\\_%'
       and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)`,
  );
  for (const { datname } of rows) {
    const pid = Number(/^gatehouse_test_(\d+)_/.exec(datname)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) await client.query(`drop database if exists ${datname} with (force)`).catch(() => undefined);
  }
}

function postgresKind(): StoreKind {
  const databaseName = `gatehouse_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = new URL(TEST_DATABASE_URL);
  databaseUrl.pathname = `/${databaseName}`;
  let created: Promise<void> | undefined;
  let schemas = 0;

  async function maintenance<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  const ensureDatabase = () =>
    (created ??= maintenance(async (client) => {
      await dropLeftovers(client);
      await client.query(`create database ${databaseName}`);
      cleanups.push(() => maintenance((c) => c.query(`drop database if exists ${databaseName} with (force)`)).then(() => undefined));
    }));

  async function database(): Promise<TestDatabase> {
    await ensureDatabase();
    const schema = `s${++schemas}`;
    const admin = new pg.Client({ connectionString: databaseUrl.toString() });
    await admin.connect();
    await admin.query(`create schema ${schema}`).finally(() => admin.end());
    // Every connection of this store resolves table names in its own schema.
    const url = new URL(databaseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const options = { databaseUrl: url.toString(), dataDir: '', poolSize: 5 };
    return { kind: 'postgres', options, env: { DATABASE_URL: options.databaseUrl }, open: () => openStore(options) };
  }

  return { name: 'postgres', database, open: async () => (await database()).open() };
}

async function storeKinds(): Promise<StoreKind[]> {
  const problem = await postgresProblem();
  if (problem === undefined) return [sqlite, postgresKind()];
  const reason = `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${problem}); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`;
  if (process.env.CI === 'true') throw new Error(`${reason} — required in CI`);
  process.stdout.write(`skipping the PostgreSQL variants: ${reason}\n`);
  return [sqlite];
}

export const STORE_KINDS: readonly StoreKind[] = await storeKinds();

export function storeKind(name: StoreKindName): StoreKind {
  const kind = STORE_KINDS.find((k) => k.name === name);
  if (!kind) throw new Error(`the ${name} store is not available in this run`);
  return kind;
}

/** Declares `body` once per store kind, inside a describe named after the kind. */
export function forEachStore(title: string, body: (kind: StoreKind) => void): void {
  for (const kind of STORE_KINDS) {
    describe(`${title} [${kind.name}]`, () => body(kind));
  }
}

export interface Account {
  tenant: Tenant;
  user: User;
  app: App;
}

let counter = 0;

/** A tenant, a user and an app to hang codes, tokens and grants on. */
export async function seedAccount(store: Store, now = new Date('2030-01-01T00:00:00Z')): Promise<Account> {
  counter += 1;
  const tenant = await store.tenants.create({ slug: `t${counter}`, name: `Tenant ${counter}` }, now);
  const user = await store.users.create(
    { tenantId: tenant.id, username: `user${counter}`, passwordHash: 'not-a-real-hash', email: `u${counter}@example.com`, firstName: 'U', lastName: String(counter), role: 'USER' },
    now,
  );
  const app = await store.apps.create(
    {
      tenantId: tenant.id,
      clientId: counter.toString(16).padStart(20, '0'),
      clientSecretHash: 'f'.repeat(64),
      name: `App ${counter}`,
      description: '',
      redirectUris: ['https://app.example.com/cb'],
      limitToAccount: false,
    },
    now,
  );
  return { tenant, user, app };
}

