// Bare better-sqlite3 statements beside Kysely, for the hottest queries on SQLite. Kysely runs
// every query through its per-connection queue and promise chain, and a Kysely transaction holds
// SQLite's write lock across event-loop turns, while a cluster worker waiting for that lock sleeps
// in SQLite's busy handler. better-sqlite3 runs statements synchronously, so a read, or a small
// transaction of writes, that starts while no transaction is open on the connection finishes
// before any other query can begin. While one is open (between BEGIN and COMMIT, across awaits),
// they go through Kysely's queue like every other query, so they never see another request's
// uncommitted rows nor write inside its transaction.
import type SqliteDatabase from 'better-sqlite3';
import type { CompiledQuery, Kysely } from 'kysely';

/** One read run at once: `{ row }`, or `undefined` when it cannot run now (a transaction is open). */
export type DirectStatement = (parameters: readonly unknown[]) => { row: unknown } | undefined;

export interface DirectAccess {
  /** Prepares a statement for direct reads. */
  read(sql: string): DirectStatement;
  /** Runs the statements in one transaction at once; false when it cannot now (a transaction is open). */
  write(queries: readonly CompiledQuery[]): boolean;
}

const access = new WeakMap<object, DirectAccess>();

/** Lets the hot queries of `db` run through `direct` (the SQLite store, at open). */
export function allowDirectAccess(db: object, direct: DirectAccess): void {
  access.set(db, direct);
}

export const directAccessOf = (db: object): DirectAccess | undefined => access.get(db);

/** `prepare` is the store's cache of prepared statements (open.ts), shared with Kysely. */
export function sqliteDirectAccess(database: SqliteDatabase.Database, prepare: (sql: string) => SqliteDatabase.Statement): DirectAccess {
  // BEGIN IMMEDIATE: the write lock first, as every read-then-write transaction here takes it.
  const writeAll = database.transaction((queries: readonly CompiledQuery[]) => {
    for (const query of queries) prepare(query.sql).run(...query.parameters);
  }).immediate;
  return {
    read(sql) {
      // Prepared at first use, not here: a store opened on an older schema (a test of a migration)
      // must not fail for a column a later migration adds.
      let prepared: SqliteDatabase.Statement | undefined;
      return (parameters) => (database.inTransaction ? undefined : { row: (prepared ??= prepare(sql)).get(...parameters) });
    },
    write(queries) {
      if (database.inTransaction) return false;
      writeAll(queries);
      return true;
    },
  };
}

/** Runs the write statements in one transaction: at once on SQLite when it can, else through Kysely. */
export async function writeTogether<DB>(db: Kysely<DB>, queries: readonly CompiledQuery[]): Promise<void> {
  if (directAccessOf(db)?.write(queries)) return;
  await db.transaction().execute(async (trx) => {
    for (const query of queries) await trx.executeQuery(query);
  });
}
