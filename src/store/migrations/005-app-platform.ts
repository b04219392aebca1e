// The console's data: app icons (kept apart so app reads carry no images), when an app's icon last
// changed, and the platform-admin flag that lets a user mark apps verified.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, { binaryType }: MigrationContext): Promise<void> {
  await db.schema.alterTable('apps').addColumn('icon_updated_at', 'bigint').execute();
  await db.schema
    .createTable('app_icons')
    .addColumn('app_id', 'integer', (c) => c.primaryKey().references('apps.id'))
    .addColumn('png', binaryType, (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('users').addColumn('platform_admin', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Listing a user's connections and an app's grants.
  await db.schema.createIndex('grants_app').on('grants').column('app_id').execute();
  await db.schema.createIndex('token_families_user').on('token_families').column('user_id').execute();
}
