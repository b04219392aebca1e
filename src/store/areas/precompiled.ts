// Queries on the hot token paths, compiled to SQL once instead of on every call: Kysely rebuilds
// and recompiles its operation tree per query, which costs as much as running a primary-key read.
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/**
 * Compiles `build(placeholder)` once; the returned function runs it with a new value in the
 * placeholder's place. The query must use the placeholder as its one and only parameter.
 */
export function precompiled<DB, Row, Value>(db: Kysely<DB>, build: (placeholder: Value) => Compilable<Row>, placeholder: NoInfer<Value>): (value: Value) => Promise<Row | undefined> {
  const { sql, parameters } = build(placeholder).compile();
  if (parameters.length !== 1 || parameters[0] !== placeholder) throw new Error(`a precompiled query takes exactly one parameter: ${sql}`);
  return async (value) => (await db.executeQuery(CompiledQuery.raw(sql, [value]) as CompiledQuery<Row>)).rows[0];
}
