// The account's MFA policy (issue 18, docs/security.md): whom it requires a second factor of
// ('off', 'admins' or 'everyone'), and whether consent to `:d` (delete) scopes needs one. Existing
// accounts require nothing, as before.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, _context: MigrationContext): Promise<void> {
  await db.schema.alterTable('tenants').addColumn('mfa_required', 'varchar(10)', (c) => c.notNull().defaultTo('off')).execute();
  await db.schema.alterTable('tenants').addColumn('mfa_for_delete_scopes', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
