// Apps by how they came to be, and when they were last used: what the console's list of
// self-registered clients and housekeeping's purge of unused ones read, and the cheap write that
// records a use (only last_used_at, so an app's updated_at keeps meaning "settings changed").
import { sql, type Kysely, type Selectable } from 'kysely';
import type { App } from '../../domain/app.ts';
import type { AppsTable, Database } from '../schema.ts';
import type { Store } from '../store.ts';
import { ms } from '../sql/rows.ts';

/** `toApp` is apps.ts's row conversion (passed in, so the two files do not import each other). */
export function appUsageStore(db: Kysely<Database>, toApp: (row: Selectable<AppsTable>) => App): Pick<Store['apps'], 'listByRegistration' | 'markUsed' | 'unusedSince'> {
  return {
    async listByRegistration(registration) {
      const rows = await db.selectFrom('apps').selectAll().where('registration', '=', registration).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(toApp);
    },
    async markUsed(id, now) {
      await db.updateTable('apps').set({ last_used_at: ms(now) }).where('id', '=', id).execute();
    },
    async unusedSince(registration, before, limit) {
      const rows = await db
        .selectFrom('apps')
        .selectAll()
        .where('registration', '=', registration)
        .where(sql<number>`coalesce(last_used_at, created_at)`, '<', ms(before))
        .orderBy(sql`coalesce(last_used_at, created_at)`)
        .limit(limit)
        .execute();
      return rows.map(toApp);
    },
  };
}
