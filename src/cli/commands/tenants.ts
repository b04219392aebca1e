// `gatehouse tenants …`: create and list tenants (accounts).
import type { Command } from 'commander';
import { createTenant } from '../../platform/accounts.ts';
import { columns, print } from '../output.ts';
import { dataDirOption, jsonOption, withRuntime } from '../shared.ts';

export function registerTenantCommands(program: Command): void {
  const tenants = program.command('tenants').description('manage tenants (accounts)');
  tenants
    .command('create <slug>')
    .description('create a tenant (an account users sign in to); SLUG is its lower-case name in URLs and on the login page')
    .option('--name <name>', 'display name (default the slug)')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (slug: string, o) =>
      withRuntime(o, async ({ ctx }) => {
        const tenant = await createTenant({ slug, name: o.name }, ctx);
        print(o, { id: tenant.id, slug: tenant.slug, name: tenant.name }, () => `created tenant ${tenant.slug} (id ${tenant.id})`);
      }),
    );

  tenants
    .command('list')
    .description('list tenants by slug')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async ({ ctx }) => {
        const rows = (await ctx.store.tenants.list()).map((t) => ({ id: t.id, slug: t.slug, name: t.name, created_at: t.createdAt.toISOString() }));
        print(o, rows, () => (rows.length === 0 ? 'no tenants' : columns(rows.map((t) => [t.slug, t.name, `created ${t.created_at}`]))));
      }),
    );
}
