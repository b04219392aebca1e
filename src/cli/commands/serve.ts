// `gatehouse serve`.
import type { Command } from 'commander';
import { serve } from '../serve.ts';
import { config, dataDirOption } from '../shared.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the server')
    .option('--port <port>', 'port to listen on (env PORT)')
    .option('--host <host>', 'address to bind (env HOST)')
    .option('--public-url <url>', 'public base URL and issuer (env PUBLIC_URL)')
    .option('--workers <n>', 'processes serving requests (env GATEHOUSE_WORKERS; default: one per CPU)')
    .addOption(dataDirOption())
    .option('--demo', 'seed demo data on an empty store and print its credentials')
    .action(async (o) => serve(config(o), { demo: o.demo }));
}
