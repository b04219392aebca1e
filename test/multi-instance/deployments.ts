// The databases a multi-instance test puts its `gatehouse serve` processes on: every store kind of
// this run (a SQLite data dir the processes share in WAL mode; a fresh PostgreSQL database).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORE_KINDS, type StoreKind } from '../helpers/stores.ts';
import { gatehouse } from './processes.ts';

export interface Deployment {
  /** Environment every process of this deployment gets (CLI and servers alike). */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export interface DeploymentKind {
  name: string;
  create(): Promise<Deployment>;
}

const SECRET = 'multi-instance-test-secret-0123456789';

function deploymentKind(kind: StoreKind): DeploymentKind {
  return {
    name: kind.name,
    async create() {
      // The stores helper drops its databases when the test file ends.
      const database = await kind.database();
      // Each process gets a data dir of its own making unless the database is one (SQLite), so
      // nothing lands in the working directory.
      const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-multi-'));
      const env = { GATEHOUSE_DATA_DIR: scratch, ...database.env, GATEHOUSE_SECRET: SECRET };
      // As a deployment starts (docs/deploy.md): migrate once; then the CLI may create accounts.
      await gatehouse(env, 'migrate');
      return {
        env,
        async cleanup() {
          rmSync(scratch, { recursive: true, force: true });
        },
      };
    },
  };
}

export const DEPLOYMENT_KINDS: readonly DeploymentKind[] = STORE_KINDS.map(deploymentKind);
