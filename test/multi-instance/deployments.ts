// The databases a multi-instance test can put its `gatehouse serve` processes on: a SQLite data
// dir shared by the processes (WAL mode), and PostgreSQL when a fresh database can be had.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Deployment {
  /** Environment every process of this deployment gets (CLI and servers alike). */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export interface DeploymentKind {
  name: string;
  create(): Promise<Deployment>;
}

/**
 * How to get a fresh, empty PostgreSQL database for one test run, dropped afterwards. Left
 * undefined until the store tests' per-run database helper exists (test/helpers/stores.ts); wire
 * it here and every multi-instance test also runs on PostgreSQL.
 */
export const freshPostgresDatabase: (() => Promise<{ url: string; drop(): Promise<void> }>) | undefined = undefined;

const SECRET = 'multi-instance-test-secret-0123456789';

const sqlite: DeploymentKind = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-multi-'));
    return {
      env: { GATEHOUSE_DATA_DIR: dir, DATABASE_URL: '', GATEHOUSE_SECRET: SECRET },
      async cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgres(fresh: NonNullable<typeof freshPostgresDatabase>): DeploymentKind {
  return {
    name: 'postgres',
    async create() {
      const database = await fresh();
      // The data dir only holds nothing of note here (the secret comes from the environment).
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-multi-pg-'));
      return {
        env: { GATEHOUSE_DATA_DIR: dir, DATABASE_URL: database.url, GATEHOUSE_SECRET: SECRET },
        async cleanup() {
          rmSync(dir, { recursive: true, force: true });
          await database.drop();
        },
      };
    },
  };
}

export const DEPLOYMENT_KINDS: readonly DeploymentKind[] = [sqlite, ...(freshPostgresDatabase ? [postgres(freshPostgresDatabase)] : [])];
