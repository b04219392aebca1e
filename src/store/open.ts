// Opens the configured database, applies pending migrations, and returns the Store.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { kyselyStore } from './kysely-store.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';
import type { Store } from './types.ts';

export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; anything else means the embedded SQLite file. */
  databaseUrl?: string;
  dataDir: string;
  /** Use an in-memory SQLite database (tests). */
  memory?: boolean;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  return (await openAndMigrate(options)).store;
}

/** Opens the store and reports which migrations this call applied. */
export async function openAndMigrate(options: StoreOptions): Promise<{ store: Store; applied: string[] }> {
  if (options.databaseUrl?.startsWith('postgres')) {
    throw new Error('PostgreSQL support is not in this build yet; unset DATABASE_URL to use the embedded SQLite store');
  }
  const db = openSqlite(options);
  try {
    const { applied } = await migrateToLatest(db as Kysely<unknown>, 'sqlite');
    return { store: kyselyStore(db, 'sqlite'), applied };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

function openSqlite(options: StoreOptions): Kysely<Database> {
  let file = ':memory:';
  if (!options.memory) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    file = join(options.dataDir, 'gatehouse.sqlite');
  }
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}
