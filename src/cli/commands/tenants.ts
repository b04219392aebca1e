// `gatehouse tenants …`.
import type { Command } from 'commander';
import { createTenant } from '../../platform/accounts.ts';
import { print } from '../output.ts';
import { dataDirOption, jsonOption, withRuntime } from '../shared.ts';

export function registerTenantCommands(program: Command): void {
  const tenants = program.command('tenants').description('manage tenants (accounts)');
  tenants
    .command('create <slug>')
    .option('--name <name>', 'display name')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (slug: string, o) =>
      withRuntime(o, async ({ ctx }) => {
        const tenant = await createTenant({ slug, name: o.name }, ctx);
        print(o, { id: tenant.id, slug: tenant.slug, name: tenant.name }, () => `created tenant ${tenant.slug} (id ${tenant.id})`);
      }),
    );
}
