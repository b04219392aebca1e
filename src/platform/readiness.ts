// Readiness: whether this process can serve requests now — the database answers, its schema is
// the one this version expects, and a signing key is loaded. For load balancers (/readyz).
import type { KeyRing } from '../keys/key-ring.ts';
import { MIGRATIONS } from '../store/migrations/index.ts';
import type { Store } from '../store/store.ts';

export type CheckResult = 'ok' | string;

export interface Readiness {
  ready: boolean;
  checks: { database: CheckResult; migrations: CheckResult; keys: CheckResult };
  /** Why the database check failed, for the log (never the probe's body). */
  error?: unknown;
}

/** A probe must answer quickly even when the database hangs: balancers time out their checks. */
export const READINESS_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function migrationState(applied: readonly string[]): CheckResult {
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const done = new Set(applied);
  const unknown = applied.filter((name) => !known.has(name));
  const pending = MIGRATIONS.filter((m) => !done.has(m.name)).map((m) => m.name);
  // A newer version migrated the database: this process's queries may no longer fit it.
  if (unknown.length > 0) return `the database has migrations this version does not know: ${unknown.join(', ')}`;
  if (pending.length > 0) return `pending: ${pending.join(', ')}`;
  return 'ok';
}

export async function checkReadiness(deps: { store: Store; keys: KeyRing }, timeoutMs = READINESS_TIMEOUT_MS): Promise<Readiness> {
  let database: CheckResult = 'ok';
  let migrations: CheckResult = 'not checked: the database is unreachable';
  let failure: unknown;
  try {
    migrations = migrationState(await withTimeout(deps.store.status.appliedMigrations(), timeoutMs));
  } catch (error) {
    failure = error;
    // The reason stays in the process's logs; the probe's body says only what failed.
    database = `unreachable (${error instanceof Error && /no answer within/.test(error.message) ? 'timed out' : 'query failed'})`;
  }
  let keys: CheckResult = 'ok';
  try {
    void deps.keys.signing;
  } catch {
    keys = 'no signing key loaded';
  }
  const ready = database === 'ok' && migrations === 'ok' && keys === 'ok';
  return failure === undefined ? { ready, checks: { database, migrations, keys } } : { ready, checks: { database, migrations, keys }, error: failure };
}
