// The `gatehouse` command.
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, type Config, type ConfigFlags } from '../config.ts';
import { ROLES, createTenant, createUser } from '../oauth/accounts.ts';
import { RegistrationError, registerApp } from '../oauth/apps.ts';
import { openAndMigrate } from '../store/open.ts';
import { fail, print, type OutputOptions } from './output.ts';
import { openRuntime, type Runtime } from './runtime.ts';
import { serve } from './serve.ts';
import type { UserRole } from '../store/types.ts';

function config(flags: ConfigFlags = {}): Config {
  try {
    return loadConfig(process.env, flags);
  } catch (error) {
    if (error instanceof ConfigError) fail(`bad configuration:\n${error.message}`);
    throw error;
  }
}

/** Runs a command body with an open runtime, turning expected errors into one clear line. */
async function withRuntime(options: OutputOptions & { dataDir?: string }, work: (runtime: Runtime) => Promise<void>): Promise<void> {
  const runtime = await openRuntime(config({ dataDir: options.dataDir }));
  try {
    await work(runtime);
  } catch (error) {
    if (error instanceof RegistrationError) fail(error.message, options);
    throw error;
  } finally {
    await runtime.close();
  }
}

async function tenantId(runtime: Runtime, slug: string, options: OutputOptions): Promise<number> {
  const tenant = await runtime.ctx.store.tenants.bySlug(slug);
  if (!tenant) fail(`no tenant "${slug}"; create it with: gatehouse tenants create ${slug}`, options);
  return tenant.id;
}

const dataDirOption = () => new Option('--data-dir <dir>', 'SQLite data directory (env GATEHOUSE_DATA_DIR)');
const jsonOption = () => new Option('--json', 'print machine-readable JSON');

export function buildProgram(): Command {
  const program = new Command('gatehouse').description('Gatehouse: an OAuth 2.1 authorization server and app platform');

  program
    .command('serve')
    .description('run the server')
    .option('--port <port>', 'port to listen on (env PORT)')
    .option('--host <host>', 'address to bind (env HOST)')
    .option('--public-url <url>', 'public base URL and issuer (env PUBLIC_URL)')
    .addOption(dataDirOption())
    .option('--demo', 'seed demo data on an empty store and print its credentials')
    .action(async (o) => serve(config(o), { demo: o.demo }));

  program
    .command('migrate')
    .description('apply pending database migrations')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) => {
      const c = config({ dataDir: o.dataDir });
      const { store, applied } = await openAndMigrate({ databaseUrl: c.databaseUrl, dataDir: c.dataDir });
      await store.close();
      print(o, { applied }, () => (applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date'));
    });

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

  const users = program.command('users').description('manage users');
  users
    .command('create')
    .requiredOption('--tenant <slug>')
    .requiredOption('--username <username>')
    .requiredOption('--password <password>')
    .option('--email <email>')
    .option('--first-name <name>')
    .option('--last-name <name>')
    .addOption(new Option('--role <role>').choices(ROLES as string[]).default('USER'))
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const user = await createUser(
          {
            tenantId: await tenantId(runtime, o.tenant, o),
            username: o.username,
            password: o.password,
            email: o.email,
            firstName: o.firstName,
            lastName: o.lastName,
            role: o.role as UserRole,
          },
          runtime.ctx,
        );
        print(o, { id: user.id, username: user.username, tenant: o.tenant, role: user.role }, () => `created user ${user.username} (id ${user.id}) in ${o.tenant}`);
      }),
    );

  const apps = program.command('apps').description('manage apps (OAuth clients)');
  apps
    .command('create')
    .requiredOption('--tenant <slug>', 'the owner tenant')
    .requiredOption('--name <name>', 'unique app name (cannot be changed later)')
    .requiredOption('--redirect-uri <uri>', 'redirect URL (repeat for several)', (v: string, all: string[] = []) => [...all, v])
    .option('--description <text>', 'what the app does')
    .option('--limit-to-account', 'only users of the owner tenant may authorize it')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const { app, clientSecret } = await registerApp(
          {
            tenantId: await tenantId(runtime, o.tenant, o),
            name: o.name,
            description: o.description,
            redirectUris: o.redirectUri,
            limitToAccount: Boolean(o.limitToAccount),
          },
          runtime.ctx,
        );
        print(o, { id: app.id, client_id: app.clientId, client_secret: clientSecret }, () =>
          [`created app "${app.name}" (id ${app.id})`, `client_id      ${app.clientId}`, `client_secret  ${clientSecret}`, 'The secret is shown only now; store it safely.'].join('\n'),
        );
      }),
    );

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

  return program;
}
