// Opens the configured database (PostgreSQL for a postgres:// URL, else the embedded SQLite file),
// applies pending migrations, and returns the Store.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import type pg from 'pg';
import { LruMap } from '../lru-map.ts';
import { allowDirectAccess, sqliteDirectAccess } from './sql/direct-sqlite.ts';
import { kyselyStore } from './kysely-store.ts';
import { hasSchema, migrateToLatest, NoSchemaError } from './migrate.ts';
import type { Migration } from './migrations/index.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';

export interface StoreOptions {
  /** `postgres://…` or `postgresql://…` selects PostgreSQL; without it the embedded SQLite file is used. */
  databaseUrl?: string;
  dataDir: string;
  /** Use an in-memory SQLite database (tests). */
  memory?: boolean;
  /** PostgreSQL connections this process may hold (default 10). */
  poolSize?: number;
  /** Migrate only this far (the first migrations of MIGRATIONS): tests of upgrades from an older schema. */
  migrations?: readonly Migration[];
  /**
   * `false`: open only a database that already has the schema (pending migrations are still
   * applied), never create the SQLite file or its directory; a missing or empty one throws
   * NoSchemaError. Default `true`.
   */
  create?: boolean;
}

/** How long to wait for a PostgreSQL connection before the request fails (503) instead of hanging. */
const CONNECT_TIMEOUT_MS = 3000;
/** A query that gets no answer (a half-open connection) fails after this long. */
const QUERY_TIMEOUT_MS = 15_000;

export const isPostgresUrl = (url: string | undefined): url is string => url !== undefined && /^postgres(ql)?:\/\//.test(url);

/** The embedded database's file in a data dir. */
export const sqliteFile = (dataDir: string) => join(dataDir, 'gatehouse.sqlite');

export async function openStore(options: StoreOptions): Promise<Store> {
  return (await openAndMigrate(options)).store;
}

/** Opens the store and reports which migrations this call applied. */
export async function openAndMigrate(options: StoreOptions): Promise<{ store: Store; applied: string[] }> {
  const dialect = isPostgresUrl(options.databaseUrl) ? 'postgres' : 'sqlite';
  const create = options.create ?? true;
  if (dialect === 'sqlite' && !create && !options.memory && !existsSync(sqliteFile(options.dataDir))) throw new NoSchemaError(`no database file ${sqliteFile(options.dataDir)}`);
  const db = dialect === 'postgres' ? await openPostgres(options.databaseUrl as string, options.poolSize ?? 10) : openSqlite(options, create);
  try {
    if (!create && !(await hasSchema(db as Kysely<unknown>, dialect))) throw new NoSchemaError('the database has no Gatehouse schema');
    const { applied } = await migrateToLatest(db as Kysely<unknown>, dialect, options.migrations);
    return { store: kyselyStore(db, dialect), applied };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

// int8 (bigint columns: epoch milliseconds, count(*)) arrives as a string by default; every value
// we store fits a double exactly, so both dialects hand the row mappers numbers.
const INT8_OID = 20;
const parseInt8 = (value: string): number => Number(value);
const typeParsers = (types: typeof pg.types) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
});

async function openPostgres(url: string, poolSize: number): Promise<Kysely<Database>> {
  // Loaded only for PostgreSQL: the embedded SQLite setup never pays for the driver.
  const { default: pg } = await import('pg');
  const types = typeParsers(pg.types);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    types,
  });
  // A connection that dies (server restart, network cut) emits 'error', and an 'error' event
  // without a listener crashes the process. The pool listens only while a connection is idle
  // (it then drops it and opens a new one on the next query), so every connection also gets a
  // listener of its own for the time it is checked out: the query it was running fails, and the
  // request that needed it reports the outage (503).
  const ignore = () => undefined;
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

function openSqlite(options: StoreOptions, create: boolean): Kysely<Database> {
  let file = ':memory:';
  if (!options.memory) {
    if (create) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    file = sqliteFile(options.dataDir);
  }
  // Without `create`, a file that vanished since the check above is an error, not a new database.
  const database = new SqliteDatabase(file, { fileMustExist: !create && !options.memory });
  // First, so that even switching to WAL waits for another process opening the same file.
  database.pragma('busy_timeout = 5000');
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  const prepare = cachedStatements(database);
  const kyselyDatabase: KyselySqliteDatabase = { prepare, close: () => database.close() };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: kyselyDatabase }) });
  allowDirectAccess(db, sqliteDirectAccess(database, prepare));
  return db;
}

/** Prepared statements kept per SQL text, the most recently used first to stay. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs as much as running the small queries of the
 * token paths. Statements are reused per SQL text, by Kysely and by the direct reads and writes
 * alike: each runs synchronously, and Kysely runs one query at a time per connection, so a
 * statement is never used twice at once.
 */
function cachedStatements(database: SqliteDatabase.Database): (sql: string) => SqliteDatabase.Statement {
  const statements = new LruMap<string, SqliteDatabase.Statement>(STATEMENT_CACHE_SIZE);
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = database.prepare(sql)));
    return statement;
  };
}
