// The revocation feed (docs/resources.md): one entry per revoked token family and resource it
// could mint tokens for, written in the revocation's own transaction. `seq` is the feed's order,
// given to committed entries afterwards by one serialized step (see areas/revocation-feed.ts): an
// id taken from a sequence would not do, because on PostgreSQL transactions commit out of id
// order and a reader past id N could miss an N-1 committed later.
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, context: MigrationContext): Promise<void> {
  await context
    .idColumn(db.schema.createTable('revocation_entries'))
    .addColumn('resource_id', 'integer', (c) => c.notNull())
    .addColumn('family_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('reason', 'varchar(32)', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'bigint')
    .execute();
  await db.schema.createIndex('revocation_entries_resource_seq').on('revocation_entries').columns(['resource_id', 'seq']).execute();
  await db.schema.createIndex('revocation_entries_seq').on('revocation_entries').column('seq').unique().execute();
  await db.schema.createIndex('revocation_entries_revoked_at').on('revocation_entries').column('revoked_at').execute();
}
