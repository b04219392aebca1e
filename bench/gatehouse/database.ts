// A fresh store for one benchmark run: a temporary SQLite data dir, or a new PostgreSQL database
// on the local server (dropped afterwards); either way Gatehouse starts from nothing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const BENCH_POSTGRES_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  kind: 'sqlite' | 'postgres';
  /** Environment for every `gatehouse` process of the run (CLI and server). */
  env: Record<string, string>;
  /** What the report says about the store (no credentials). */
  description: string;
  drop(): Promise<void>;
}

async function onMaintenance<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(kind: 'sqlite' | 'postgres'): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (kind === 'sqlite') {
    return { kind, env: { GATEHOUSE_DATA_DIR: dataDir, DATABASE_URL: '' }, description: 'SQLite (WAL) in a fresh temporary data dir', drop: async () => removeDir() };
  }
  const name = `gatehouse_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await onMaintenance((client) => client.query(`create database ${name}`));
  } catch (error) {
    removeDir();
    throw new Error(`cannot create a PostgreSQL database at ${new URL(BENCH_POSTGRES_URL).host} (${error instanceof Error ? error.message : String(error)}); start PostgreSQL or set BENCH_DATABASE_URL`);
  }
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  const server = await onMaintenance(async (client) => (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?');
  return {
    kind,
    env: { GATEHOUSE_DATA_DIR: dataDir, DATABASE_URL: url.toString() },
    description: `PostgreSQL ${server} on ${url.host}, a fresh database over TCP loopback`,
    async drop() {
      await onMaintenance((client) => client.query(`drop database if exists ${name} with (force)`));
      removeDir();
    },
  };
}
