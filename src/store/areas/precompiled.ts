// Queries on the hot token paths, compiled to SQL once instead of on every call: Kysely rebuilds
// and recompiles its operation tree per query, which costs as much as running a primary-key read.
// On SQLite they also skip Kysely's connection queue and run as bare prepared statements (a third
// of the cost), whenever no transaction holds the one connection.
import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/**
 * One read run synchronously on the connection: `{ row }`, or `undefined` when it cannot run now
 * (a transaction is open on the connection, and a read beside it would see its uncommitted rows).
 */
export type DirectStatement = (parameters: readonly unknown[]) => { row: unknown } | undefined;

/** Prepares a statement for direct reads. */
export type DirectReads = (sql: string) => DirectStatement;

const directReads = new WeakMap<object, DirectReads>();

/** Lets `precompiled` queries of `db` read through `reads` (the SQLite store, at open). */
export function allowDirectReads(db: object, reads: DirectReads): void {
  directReads.set(db, reads);
}

/**
 * Bare prepared statements for the precompiled hot reads. better-sqlite3 runs a statement
 * synchronously, so a read that starts while no transaction is open finishes before any other
 * query can begin; while one is open (between BEGIN and COMMIT, across awaits), the read waits in
 * Kysely's queue like every other query, so it never sees another request's uncommitted rows.
 */
export function sqliteDirectReads(database: SqliteDatabase.Database): DirectReads {
  return (sql) => {
    const statement = database.prepare(sql);
    return (parameters) => (database.inTransaction ? undefined : { row: statement.get(...parameters) });
  };
}

/**
 * Compiles `build(placeholder)` once; the returned function runs it with a new value in the
 * placeholder's place. The query must use the placeholder as its one and only parameter.
 */
export function precompiled<DB, Row, Value>(db: Kysely<DB>, build: (placeholder: Value) => Compilable<Row>, placeholder: NoInfer<Value>): (value: Value) => Promise<Row | undefined> {
  const { sql, parameters } = build(placeholder).compile();
  if (parameters.length !== 1 || parameters[0] !== placeholder) throw new Error(`a precompiled query takes exactly one parameter: ${sql}`);
  const viaKysely = async (value: Value) => (await db.executeQuery(CompiledQuery.raw(sql, [value]) as CompiledQuery<Row>)).rows[0];
  const direct = directReads.get(db)?.(sql);
  if (!direct) return viaKysely;
  return async (value) => {
    const answer = direct([value]);
    return answer ? (answer.row as Row | undefined) : viaKysely(value);
  };
}
