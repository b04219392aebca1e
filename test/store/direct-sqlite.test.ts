// The hot queries on SQLite run as bare statements (reads) or one synchronous transaction
// (writes), except while a transaction is open on the connection: then they queue behind it in
// Kysely, never see its uncommitted rows and never write inside it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { allowDirectAccess, sqliteDirectAccess, writeTogether } from '../../src/store/sql/direct-sqlite.ts';
import { precompiled } from '../../src/store/sql/precompiled.ts';

interface Db {
  items: { id: number; value: string };
}

function open(direct: boolean) {
  const database = new SqliteDatabase(':memory:');
  database.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, value TEXT NOT NULL); INSERT INTO items VALUES (1, 'old')`);
  let statements = 0;
  const prepare = database.prepare.bind(database);
  const counted = Object.assign(Object.create(database) as SqliteDatabase.Database, {
    prepare: (sql: string) => {
      statements++;
      return prepare(sql);
    },
    close: () => database.close(),
  });
  const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: counted }) });
  if (direct) allowDirectAccess(db, sqliteDirectAccess(database, prepare));
  const byId = precompiled(db, (id: number) => db.selectFrom('items').selectAll().where('id', '=', id), 0);
  return { db, byId, database, kyselyStatements: () => statements };
}

describe('precompiled reads', () => {
  for (const direct of [false, true]) {
    it(`${direct ? 'as bare statements' : 'through Kysely'}: the row, or undefined`, async () => {
      const { db, byId } = open(direct);
      assert.deepEqual(await byId(1), { id: 1, value: 'old' });
      assert.equal(await byId(2), undefined);
      await db.destroy();
    });
  }

  it('bare statements bypass Kysely while no transaction is open', async () => {
    const { db, byId, kyselyStatements } = open(true);
    const before = kyselyStatements();
    for (let i = 0; i < 5; i++) await byId(1);
    assert.equal(kyselyStatements(), before);
    await db.destroy();
  });

  it('a read that starts inside another request’s transaction waits for it and sees no uncommitted row', async () => {
    const { db, byId } = open(true);
    let during: Promise<unknown> | undefined;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.updateTable('items').set({ value: 'uncommitted' }).where('id', '=', 1).execute();
        during = byId(1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.deepEqual(await during, { id: 1, value: 'old' });
    await db.destroy();
  });

  it('refuses a query with other than one parameter', () => {
    const { db } = open(true);
    assert.throws(() => precompiled(db, (id: number) => db.selectFrom('items').selectAll().where('id', '=', id).where('value', '=', 'x'), 0), /exactly one parameter/);
  });

  const insert = (db: Kysely<Db>, id: number, value: string) => db.insertInto('items').values({ id, value }).compile();
  const values = (database: SqliteDatabase.Database) => (database.prepare('SELECT id, value FROM items ORDER BY id').all() as { id: number; value: string }[]).map((r) => `${r.id}:${r.value}`);

  for (const direct of [false, true]) {
    it(`${direct ? 'at once' : 'through Kysely'}: writes together, or not at all`, async () => {
      const { db, database } = open(direct);
      await writeTogether(db, [insert(db, 2, 'two'), insert(db, 3, 'three')]);
      assert.deepEqual(values(database), ['1:old', '2:two', '3:three']);
      await assert.rejects(writeTogether(db, [insert(db, 4, 'four'), insert(db, 1, 'duplicate')]), /UNIQUE|PRIMARY KEY/);
      assert.deepEqual(values(database), ['1:old', '2:two', '3:three'], 'the first insert was rolled back with the failed one');
      assert.equal(database.inTransaction, false);
      await db.destroy();
    });
  }

  it('writes at once bypass Kysely while no transaction is open', async () => {
    const { db, kyselyStatements } = open(true);
    const before = kyselyStatements();
    await writeTogether(db, [insert(db, 2, 'two')]);
    assert.equal(kyselyStatements(), before);
    await db.destroy();
  });

  it('a write that starts inside another request’s transaction waits for it and is not rolled back with it', async () => {
    const { db, database } = open(true);
    let during: Promise<void> | undefined;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ id: 5, value: 'rolled back' }).execute();
        during = writeTogether(db, [insert(db, 6, 'kept')]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw new Error('roll back');
      }),
      /roll back/,
    );
    await during;
    assert.deepEqual(values(database), ['1:old', '6:kept']);
    await db.destroy();
  });
});
