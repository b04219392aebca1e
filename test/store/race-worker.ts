// Another Gatehouse process for the race tests: real instances are separate processes with their
// own connections (for SQLite, its own file handle; one process's connections would block each
// other), so races between instances are raced against this one.
// Usage: node --import tsx race-worker.ts '<task JSON>'. Prints one JSON line when ready; then
// each JSON line on stdin is a command, answered by one JSON line. Closing stdin stops it.
import { createInterface } from 'node:readline';
import { openAndMigrate, type StoreOptions } from '../../src/store/open.ts';
import { issueAll, upsertAll, type WorkerCommand, type WorkerTask } from './race-ops.ts';

const say = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function main(task: WorkerTask): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  if (task.task === 'migrate') {
    say({ ready: true });
    await new Promise<void>((resolve) => lines.once('line', () => resolve()));
    const { store, applied } = await openAndMigrate(task.options);
    await store.close();
    say({ applied });
    lines.close();
    return;
  }

  const { store } = await openAndMigrate(task.options);
  const { buildApp } = await import('../../src/app.ts');
  const { KeyRing } = await import('../../src/keys/key-ring.ts');
  const { deriveTokenKey } = await import('../../src/oauth/refresh-rotation.ts');
  const keys = await KeyRing.load(store, task.secret);
  // As `gatehouse serve` does: rotated refresh tokens derive from the shared secret, so every
  // instance answers a retry with the same successor.
  const app = await buildApp({ config: { publicUrl: task.publicUrl, logLevel: 'silent' }, store, keys, logger: false, tokenKey: deriveTokenKey(task.secret) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  say({ ready: true, port: (app.server.address() as { port: number }).port });

  for await (const line of lines) {
    const command = JSON.parse(line) as WorkerCommand;
    try {
      if (command.op === 'grants') say({ done: (await upsertAll(store, command.userId, command.appId, command.scopes)).length });
      else if (command.op === 'refresh-tokens') say({ stored: await issueAll(store, command.tokens, command.maxLive) });
      else say({ error: `unknown command ${command.op}` });
    } catch (error) {
      say({ error: error instanceof Error ? error.message : String(error) });
    }
  }
  keys.close();
  await app.close();
  await store.close();
}

main(JSON.parse(process.argv[2] ?? '{}') as WorkerTask).catch((error: unknown) => {
  say({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
