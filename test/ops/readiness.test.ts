// /healthz and /readyz: liveness never touches the database; readiness says 503 with what is
// wrong when the database is gone or hangs, its schema is not this version's, or no key is loaded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { join } from 'node:path';
import { buildApp } from '../../src/app.ts';
import type { KeyRing } from '../../src/keys/key-ring.ts';
import { checkReadiness, migrationState } from '../../src/platform/readiness.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import type { Store } from '../../src/store/store.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { forEachStore, seedAccount, storeKind } from '../helpers/stores.ts';

const ALL_OK = { database: 'ok', migrations: 'ok', keys: 'ok' };

async function readyz(url: string) {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> }, headers: response.headers };
}

/** The same server, on a store whose status reads are replaced. */
async function appOn(server: TestServer, status: Partial<Store['status']>, keys: KeyRing = server.ctx.keys) {
  const store: Store = { ...server.store, status: { ...server.store.status, ...status } };
  const app = await buildApp({ config: { publicUrl: server.url, logLevel: 'silent' }, store, keys, clock: server.clock, logger: false, tokenKey: server.ctx.tokenKey });
  return { url: await app.listen({ port: 0, host: '127.0.0.1' }), close: () => app.close() };
}

forEachStore('readiness', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ store: kind.name });
  });
  after(() => server.close());

  it('is 200 with every check ok on a migrated database with a key', async () => {
    const { status, body, headers } = await readyz(server.url);
    assert.equal(status, 200);
    assert.deepEqual(body, { status: 'ready', checks: ALL_OK });
    assert.equal(headers.get('cache-control'), 'no-store');
    assert.match(headers.get('content-type') ?? '', /^application\/json/);
  });

  it('reads the applied migrations and counts live sessions from the store', async () => {
    assert.deepEqual(await server.store.status.appliedMigrations(), MIGRATIONS.map((m) => m.name).sort());
    const { tenant, user } = await seedAccount(server.store);
    const now = new Date('2030-01-01T00:00:00Z');
    const before = await server.store.status.activeSessions(now);
    for (const [i, expiresIn] of [3600, 60, -1].entries()) {
      await server.store.sessions.create({ idHash: `readiness-${kind.name}-${i}`, tenantId: tenant.id, userId: user.id, createdAt: now, expiresAt: new Date(now.getTime() + expiresIn * 1000) });
    }
    assert.equal(await server.store.status.activeSessions(now), before + 2, 'the expired one does not count');
    assert.equal(await server.store.status.activeSessions(new Date(now.getTime() + 120_000)), before + 1);
  });

  it('is 503 naming the database when it does not answer, or hangs, and 200 again when it does', async () => {
    let failing = true;
    const flaky = await appOn(server, {
      appliedMigrations: () => (failing ? Promise.reject(new Error('connect ECONNREFUSED')) : server.store.status.appliedMigrations()),
    });
    try {
      const down = await readyz(flaky.url);
      assert.equal(down.status, 503);
      assert.equal(down.body.status, 'not ready');
      assert.equal(down.body.checks.database, 'unreachable (query failed)');
      assert.equal(down.body.checks.keys, 'ok');
      assert.ok(!JSON.stringify(down.body).includes('ECONNREFUSED'), 'no internals in the probe body');
      failing = false;
      assert.equal((await readyz(flaky.url)).status, 200);
    } finally {
      await flaky.close();
    }
    const hanging = await appOn(server, { appliedMigrations: () => new Promise(() => undefined) });
    try {
      const started = Date.now();
      const hung = await readyz(hanging.url);
      assert.equal(hung.status, 503);
      assert.equal(hung.body.checks.database, 'unreachable (timed out)');
      assert.ok(Date.now() - started < 4000, 'answers within the probe timeout');
    } finally {
      await hanging.close();
    }
  });

  it('keeps /healthz at 200 while the database is away', async () => {
    const away = await appOn(server, { appliedMigrations: () => Promise.reject(new Error('down')) });
    try {
      assert.equal((await fetch(`${away.url}/healthz`)).status, 200);
      assert.equal((await readyz(away.url)).status, 503);
    } finally {
      await away.close();
    }
  });
});

describe('readiness and the schema', () => {
  it('is 503 when a newer version migrated the database, or a migration is missing', async () => {
    const database = await storeKind('sqlite').database();
    const store = await database.open();
    const server = await startTestServer({ database });
    try {
      assert.equal((await readyz(server.url)).status, 200);
      // A newer Gatehouse ran `gatehouse migrate` on the shared database.
      const file = new SqliteDatabase(join(database.options.dataDir, 'gatehouse.sqlite'));
      file.prepare('insert into gatehouse_migrations (name, applied_at) values (?, ?)').run('999-from-the-future', Date.now());
      const newer = await readyz(server.url);
      assert.equal(newer.status, 503);
      assert.equal(newer.body.checks.migrations, 'the database has migrations this version does not know: 999-from-the-future');
      file.prepare('delete from gatehouse_migrations where name = ?').run('999-from-the-future');
      // A restore from a backup older than this version's schema.
      const last = MIGRATIONS.at(-1)?.name ?? '';
      file.prepare('delete from gatehouse_migrations where name = ?').run(last);
      const older = await readyz(server.url);
      assert.equal(older.status, 503);
      assert.equal(older.body.checks.migrations, `pending: ${last}`);
      file.close();
    } finally {
      await server.close();
      await store.close();
    }
  });

  it('compares applied migrations with the ones this version knows', () => {
    const names = MIGRATIONS.map((m) => m.name);
    assert.equal(migrationState(names), 'ok');
    assert.equal(migrationState(names.slice(0, -1)), `pending: ${names.at(-1)}`);
    assert.match(migrationState([...names, '999-x']), /does not know: 999-x$/);
  });

  it('is not ready without a signing key', async () => {
    const store = await storeKind('sqlite').open();
    try {
      const noKeys = {
        get signing(): never {
          throw new Error('the key ring is empty');
        },
      } as unknown as KeyRing;
      const result = await checkReadiness({ store, keys: noKeys });
      assert.equal(result.ready, false);
      assert.deepEqual(result.checks, { database: 'ok', migrations: 'ok', keys: 'no signing key loaded' });
    } finally {
      await store.close();
    }
  });
});
