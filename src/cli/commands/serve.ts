// `gatehouse serve`. Its settings (--port, --host, --public-url, --workers, …) are the
// program-wide setting flags (see shared.ts).
import type { Command } from 'commander';
import { serve } from '../serve.ts';
import { config } from '../shared.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the server')
    .option('--demo', 'seed demo data on an empty store and print its credentials')
    .action(async (o: { demo?: boolean }) => serve(config(), { demo: o.demo }));
}
