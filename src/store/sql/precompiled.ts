// Queries on the hot token paths, compiled to SQL once instead of on every call: Kysely rebuilds
// and recompiles its operation tree per query, which costs as much as running a primary-key read.
// On SQLite they also run as bare prepared statements when they can (direct-sqlite.ts).
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { directAccessOf } from './direct-sqlite.ts';

/**
 * Compiles `build(placeholder)` once; the returned function runs it with a new value in the
 * placeholder's place. The query must use the placeholder as its one and only parameter.
 */
export function precompiled<DB, Row, Value>(db: Kysely<DB>, build: (placeholder: Value) => Compilable<Row>, placeholder: NoInfer<Value>): (value: Value) => Promise<Row | undefined> {
  const { sql, parameters } = build(placeholder).compile();
  if (parameters.length !== 1 || parameters[0] !== placeholder) throw new Error(`a precompiled query takes exactly one parameter: ${sql}`);
  const viaKysely = async (value: Value) => (await db.executeQuery(CompiledQuery.raw(sql, [value]) as CompiledQuery<Row>)).rows[0];
  const direct = directAccessOf(db)?.read(sql);
  if (!direct) return viaKysely;
  return async (value) => {
    const answer = direct([value]);
    return answer ? (answer.row as Row | undefined) : viaKysely(value);
  };
}
