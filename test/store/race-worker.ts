// A second Gatehouse process for the race tests: real instances are separate processes with their
// own connections (for SQLite, its own file handle), so races between them are raced from here.
// Usage: node --import tsx race-worker.ts '<task JSON>'. Prints one JSON line when ready, waits for
// "go" on stdin (a server waits for stdin to close instead), then prints one JSON line of results.
import { createInterface } from 'node:readline';
import { openAndMigrate, type StoreOptions } from '../../src/store/open.ts';

export type WorkerTask =
  | { task: 'migrate'; options: StoreOptions }
  | { task: 'grants'; options: StoreOptions; userId: number; appId: number; scopes: string[] }
  | {
      task: 'refresh-tokens';
      options: StoreOptions;
      maxLive: number;
      tokens: { tokenHash: string; familyId: string; appId: number; userId: number; createdAtMs: number }[];
    }
  | { task: 'serve'; options: StoreOptions; secret: string; publicUrl: string };

const say = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);

const lines = createInterface({ input: process.stdin });
const waitForGo = () => new Promise<void>((resolve) => lines.once('line', () => resolve()));

/** Folds scope words together, as the consent step does with ScopeSet. */
const union = (a: string, b: string) => [...new Set(`${a} ${b}`.split(' ').filter(Boolean))].sort().join(' ');

async function run(task: WorkerTask): Promise<void> {
  if (task.task === 'migrate') {
    say({ ready: true });
    await waitForGo();
    const { store, applied } = await openAndMigrate(task.options);
    await store.close();
    say({ applied });
    return;
  }

  const { store } = await openAndMigrate(task.options);
  try {
    if (task.task === 'grants') {
      say({ ready: true });
      await waitForGo();
      await Promise.all(
        task.scopes.map((scope) => store.grants.upsert({ userId: task.userId, appId: task.appId, scope, clientDescription: 'race' }, new Date(), union)),
      );
      say({ done: true });
    } else if (task.task === 'refresh-tokens') {
      say({ ready: true });
      await waitForGo();
      const stored = await Promise.all(
        task.tokens.map((t) => {
          const createdAt = new Date(t.createdAtMs);
          const token = { ...t, scope: 'profile', createdAt, expiresAt: new Date(t.createdAtMs + 86_400_000) };
          return store.refreshTokens.issue(token, task.maxLive, createdAt);
        }),
      );
      say({ stored });
    } else {
      const { buildApp } = await import('../../src/app.ts');
      const { KeyRing } = await import('../../src/keys/key-ring.ts');
      const keys = await KeyRing.load(store, task.secret);
      const app = await buildApp({ config: { publicUrl: task.publicUrl, logLevel: 'silent' }, store, keys, logger: false });
      await app.listen({ port: 0, host: '127.0.0.1' });
      say({ ready: true, port: (app.server.address() as { port: number }).port });
      await new Promise<void>((resolve) => lines.once('close', () => resolve()));
      keys.close();
      await app.close();
    }
  } finally {
    await store.close();
  }
}

run(JSON.parse(process.argv[2] ?? '{}') as WorkerTask).then(
  () => {
    lines.close();
  },
  (error: unknown) => {
    say({ error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
