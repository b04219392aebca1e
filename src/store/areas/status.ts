// Cheap reads for operations: which migrations the database has (readiness; a failure means the
// database is unreachable) and how many sessions are live (a metrics gauge).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Store } from '../store.ts';
import { ms } from '../sql/rows.ts';

export function statusStore(db: Kysely<Database>): Store['status'] {
  return {
    async appliedMigrations() {
      const { rows } = await sql<{ name: string }>`select name from gatehouse_migrations order by name`.execute(db);
      return rows.map((row) => row.name);
    },
    async activeSessions(now) {
      const row = await db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('expires_at', '>', ms(now))
        .executeTakeFirst();
      return Number(row?.count ?? 0);
    },
  };
}
