// The grant types each app may use (JSON array of grant_type values). Every app registered so far
// gets ilert's two, which is all it could use before.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('apps')
    .addColumn('grant_types', 'text', (c) => c.notNull().defaultTo(sql.lit('["authorization_code","refresh_token"]')))
    .execute();
}
