// Disabling an app (and enabling it again): a disabled app gets no tokens, and disabling ends
// every token it holds — its users' families and its own — in the same transaction that marks it,
// so no token request can slip between the two (client-families.ts reads the mark under the same
// lock). Enabling clears the mark only: what disabling revoked stays revoked.
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { Store } from '../store.ts';
import type { RevokedFamilies } from '../sql/revoked-families.ts';
import { ms } from '../sql/rows.ts';
import { isPostgres, writeTransaction } from '../sql/write-transaction.ts';
import { revokeFamilyRows } from './families.ts';

export function appDisablingStore(db: Kysely<Database>, revoked: RevokedFamilies): Pick<Store['apps'], 'setDisabled'> {
  return {
    async setDisabled(id, disabledAt, now) {
      const ids = await writeTransaction(db, async (trx) => {
        const app = await trx
          .selectFrom('apps')
          .select(['id', 'disabled_at'])
          .where('id', '=', id)
          .$if(isPostgres(trx), (q) => q.forUpdate())
          .executeTakeFirst();
        if (!app) return undefined;
        // Disabling a disabled app keeps the first date; enabling an enabled one changes nothing.
        const next = disabledAt === null ? null : (app.disabled_at ?? ms(disabledAt));
        if (next !== app.disabled_at) await trx.updateTable('apps').set({ disabled_at: next, updated_at: ms(now) }).where('id', '=', id).execute();
        if (disabledAt === null) return [];
        const live = await trx.selectFrom('token_families').select('id').where('app_id', '=', id).where('revoked_at', 'is', null).execute();
        for (const family of live) await revokeFamilyRows(trx, family.id, 'app_disabled', now);
        return live.map((row) => row.id);
      });
      if (ids) revoked.add(ids);
      return ids;
    },
  };
}
