// `gatehouse keys …`.
import type { Command } from 'commander';
import { print } from '../output.ts';
import { dataDirOption, jsonOption, withRuntime } from '../shared.ts';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('signing keys');
  keys
    .command('list')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async ({ ctx }) => {
        const list = (await ctx.store.keys.list()).map((k) => ({ kid: k.kid, alg: k.alg, createdAt: k.createdAt.toISOString(), retiredAt: k.retiredAt?.toISOString() ?? null }));
        print(o, list, () => list.map((k) => `${k.kid}  ${k.alg}  created ${k.createdAt}${k.retiredAt ? `  retired ${k.retiredAt}` : ''}`).join('\n'));
      }),
    );
}
