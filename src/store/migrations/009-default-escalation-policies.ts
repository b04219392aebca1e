// Every account has a default escalation policy from its creation, as on ilert (the store's
// tenants.create makes it). Tenants created before then that have none get theirs here, so an
// app can create alert sources in any account.
import { sql, type Kysely } from 'kysely';

/** DEFAULT_ESCALATION_POLICY at the time of this migration; a migration never changes with the code. */
const DEFAULT_NAME = 'Default';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into escalation_policies (tenant_id, name)
    select t.id, ${sql.lit(DEFAULT_NAME)} from tenants t
    where not exists (select 1 from escalation_policies p where p.tenant_id = t.id)
    order by t.id
  `.execute(db);
}
