// The precompiled hot reads on SQLite run as bare statements, except while a transaction is open
// on the connection: then they queue behind it and never see its uncommitted rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { allowDirectReads, precompiled, sqliteDirectReads } from '../../src/store/areas/precompiled.ts';

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
  if (direct) allowDirectReads(db, sqliteDirectReads(database));
  const byId = precompiled(db, (id: number) => db.selectFrom('items').selectAll().where('id', '=', id), 0);
  return { db, byId, kyselyStatements: () => statements };
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
});
