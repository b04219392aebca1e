// Transactions that read and then write. On SQLite they start with BEGIN IMMEDIATE: the write lock
// is taken up front, so another process (a cluster worker) waits for it (busy_timeout) instead
// of failing when its read turns into a write. On PostgreSQL callers lock what they read.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export const isPostgres = <DB>(db: Kysely<DB>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

export async function writeTransaction<DB, T>(db: Kysely<DB>, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (isPostgres(db)) return db.transaction().execute(work);
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
