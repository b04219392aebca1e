// What a migration is and receives: a context that hides the few dialect differences.
import type { CreateTableBuilder, Kysely } from 'kysely';

export interface MigrationContext {
  dialect: 'sqlite' | 'postgres';
  /** Adds an auto-increment integer primary key named `id`. */
  idColumn<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'>;
  /** The column type for bytes. */
  binaryType: 'bytea' | 'blob';
}

export interface Migration {
  name: string;
  up(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
}
