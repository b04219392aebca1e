// `gatehouse tenants …`: create and list tenants (accounts), and set an account's MFA policy.
import { type Command, Option } from 'commander';
import { MFA_REQUIRED, type MfaPolicy } from '../../domain/identity.ts';
import { createTenant } from '../../platform/accounts.ts';
import { setMfaPolicy } from '../../platform/mfa-policy.ts';
import { columns, fail, print } from '../output.ts';
import { dataDirOption, jsonOption, withRuntime } from '../shared.ts';

const describePolicy = (policy: MfaPolicy) => ({ mfa_required: policy.required, mfa_for_delete_scopes: policy.forDeleteScopes });

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

  tenants
    .command('update <slug>')
    .description("change a tenant's settings: its MFA policy (whom a second factor is required of; whether consent to :d scopes needs one)")
    .addOption(new Option('--mfa-required <who>', 'require a second factor of nobody, admins or everyone').choices(MFA_REQUIRED))
    .option('--mfa-for-delete-scopes', 'consent to a scope ending in :d needs a sign-in with a second factor')
    .option('--no-mfa-for-delete-scopes', 'consent to :d scopes needs no second factor')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (slug: string, o) =>
      withRuntime(o, async ({ ctx }) => {
        const tenant = await ctx.store.tenants.bySlug(slug);
        if (!tenant) fail(`no tenant "${slug}"; create it with: gatehouse tenants create ${slug}`, o);
        const before = await ctx.store.tenants.mfaPolicy(tenant.id);
        const policy: MfaPolicy = { required: o.mfaRequired ?? before.required, forDeleteScopes: o.mfaForDeleteScopes ?? before.forDeleteScopes };
        await setMfaPolicy(tenant, policy, {}, ctx);
        print(o, { slug: tenant.slug, ...describePolicy(policy) }, () =>
          `${tenant.slug}: a second factor is required of ${policy.required === 'off' ? 'nobody' : policy.required}; consent to :d scopes ${policy.forDeleteScopes ? 'needs' : 'does not need'} one`,
        );
      }),
    );
}
