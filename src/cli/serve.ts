// `gatehouse serve`: open the store, build the app, listen, and stop cleanly on SIGINT/SIGTERM.
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { describeDemo, seedDemo } from './demo.ts';
import { openRuntime } from './runtime.ts';

export async function serve(config: Config, options: { demo?: boolean }): Promise<void> {
  const runtime = await openRuntime(config);
  const { ctx } = runtime;
  const app = await buildApp({ config, store: ctx.store, keys: ctx.keys });
  const demo = options.demo ? await seedDemo(ctx, config.dataDir) : undefined;

  await app.listen({ port: config.port, host: config.host });
  process.stdout.write(`\nGatehouse is listening on http://${config.host}:${config.port} (public URL ${config.publicUrl})\n`);
  if (config.databaseUrl === undefined) process.stdout.write(`Data: SQLite in ${config.dataDir}\n`);
  if (demo) process.stdout.write(describeDemo(demo, config.publicUrl));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
