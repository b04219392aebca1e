// `gatehouse users …`: create and list users, make one a platform admin (who may mark apps verified),
// set a user's picture and phone number (OpenID Connect's `picture` and `phone_number` claims), and
// sign one out everywhere, and reset one's second factors.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { MAX_PHONE_NUMBER, MAX_PICTURE_URL, ROLES, changeUser, createUser } from '../../platform/accounts.ts';
import { signOutEverywhere } from '../../platform/login.ts';
import { resetSecondFactors } from '../../platform/mfa-policy.ts';
import { deliverDueLogouts } from '../../platform/logout-delivery.ts';
import type { Tenant, User, UserRole } from '../../domain/identity.ts';
import { columns, fail, print } from '../output.ts';
import { passwordOption, passwordStdinOption, readPassword } from '../password.ts';
import type { Runtime } from '../runtime.ts';
import { dataDirOption, jsonOption, tenantId, withRuntime } from '../shared.ts';

/** `--role admin` and `--role ADMIN` alike. */
function parseRole(value: string): UserRole {
  const role = ROLES.find((candidate) => candidate === value.trim().toUpperCase());
  if (!role) throw new InvalidArgumentError(`expected one of ${ROLES.join(', ')} (in any case)`);
  return role;
}

/** What `users list --json` prints: never the password hash. */
const describeUser = (user: User, tenant: Tenant) => ({
  id: user.id,
  tenant: tenant.slug,
  username: user.username,
  first_name: user.firstName,
  last_name: user.lastName,
  email: user.email,
  role: user.role,
  disabled: user.disabled,
  platform_admin: user.platformAdmin,
  picture: user.picture,
  phone_number: user.phoneNumber,
  created_at: user.createdAt.toISOString(),
});

const status = (user: { disabled: boolean; platform_admin: boolean }) =>
  [user.disabled ? 'disabled' : 'active', ...(user.platform_admin ? ['platform admin'] : [])].join(', ');

/** The user `--tenant` and `--username` name, without the password hash; fails when there is none. */
async function existingUser(runtime: Runtime, o: { tenant: string; username: string; json?: boolean }): Promise<User> {
  const found = await runtime.ctx.store.users.forLogin(await tenantId(runtime, o.tenant, o), o.username);
  if (!found) fail(`no user "${o.username}" in ${o.tenant}`, o);
  const { passwordHash: _hash, ...user } = found;
  return user;
}

async function tenantsToList(runtime: Runtime, slug: string | undefined, options: { json?: boolean }): Promise<Tenant[]> {
  if (slug === undefined) return runtime.ctx.store.tenants.list();
  const tenant = await runtime.ctx.store.tenants.byId(await tenantId(runtime, slug, options));
  return tenant ? [tenant] : [];
}

export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('manage users');
  users
    .command('create')
    .description('create a user in a tenant (asks for the password when neither --password nor --password-stdin is given)')
    .requiredOption('--tenant <slug>', 'the tenant (account) the user belongs to')
    .requiredOption('--username <username>', 'the sign-in name, unique in the tenant')
    .addOption(passwordOption())
    .addOption(passwordStdinOption())
    .option('--email <email>', 'e-mail address (default USERNAME@example.com)')
    .option('--first-name <name>', 'first name (default the username)')
    .option('--last-name <name>', 'last name')
    .option('--phone <number>', 'phone number with country code (+49 151 12345678), stored as +4915112345678')
    .addOption(new Option('--role <role>', `${ROLES.join(', ')} (any case)`).argParser(parseRole).default('USER'))
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const tenant = await tenantId(runtime, o.tenant, o);
        const password = await readPassword(o);
        const user = await createUser(
          {
            tenantId: tenant,
            username: o.username,
            password,
            email: o.email,
            firstName: o.firstName,
            lastName: o.lastName,
            role: o.role as UserRole,
            phoneNumber: o.phone,
          },
          runtime.ctx,
        );
        print(o, { id: user.id, username: user.username, tenant: o.tenant, role: user.role }, () => `created user ${user.username} (id ${user.id}) in ${o.tenant}`);
      }),
    );

  users
    .command('list')
    .description('list users by tenant and username, without their passwords')
    .option('--tenant <slug>', 'only users of this tenant')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const rows: ReturnType<typeof describeUser>[] = [];
        for (const tenant of await tenantsToList(runtime, o.tenant, o)) {
          for (const user of await runtime.ctx.store.users.listByTenant(tenant.id)) rows.push(describeUser(user, tenant));
        }
        print(o, rows, () => (rows.length === 0 ? 'no users' : columns(rows.map((u) => [u.tenant, u.username, u.role, status(u), u.email]))));
      }),
    );

  users
    .command('set-platform-admin')
    .description('let a user mark apps of every account verified in the console (--off takes it away)')
    .requiredOption('--tenant <slug>')
    .requiredOption('--username <username>')
    .option('--off', 'take the platform-admin flag away')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const user = await existingUser(runtime, o);
        const platformAdmin = !o.off;
        await changeUser(user, { platformAdmin }, {}, runtime.ctx);
        print(o, { id: user.id, username: user.username, tenant: o.tenant, platform_admin: platformAdmin }, () =>
          platformAdmin ? `${user.username} in ${o.tenant} is now a platform admin` : `${user.username} in ${o.tenant} is no longer a platform admin`,
        );
      }),
    );

  users
    .command('set-picture')
    .description("set the user's picture URL, the OpenID Connect picture claim apps may show (https, http only on localhost); --off removes it")
    .requiredOption('--tenant <slug>')
    .requiredOption('--username <username>')
    .argument('[url]', `the picture's URL, at most ${MAX_PICTURE_URL} characters`)
    .option('--off', 'remove the picture')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (url: string | undefined, o) =>
      withRuntime(o, async (runtime) => {
        if ((url === undefined) === !o.off) fail('give either a URL or --off', o);
        const user = await existingUser(runtime, o);
        const picture = o.off ? null : (url as string);
        await changeUser(user, { picture }, {}, runtime.ctx);
        print(o, { id: user.id, username: user.username, tenant: o.tenant, picture }, () =>
          picture === null ? `${user.username} in ${o.tenant} has no picture now` : `${user.username} in ${o.tenant} now has the picture ${picture}`,
        );
      }),
    );

  users
    .command('set-phone')
    .description("set the user's phone number, the OpenID Connect phone_number claim of the phone scope (E.164: + and the country code); --off removes it")
    .requiredOption('--tenant <slug>')
    .requiredOption('--username <username>')
    .argument('[number]', `the number with its country code (+49 151 1234-5678), at most ${MAX_PHONE_NUMBER} characters; stored as +4915112345678`)
    .option('--off', 'remove the phone number')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (number: string | undefined, o) =>
      withRuntime(o, async (runtime) => {
        if ((number === undefined) === !o.off) fail('give either a phone number or --off', o);
        const user = await existingUser(runtime, o);
        const { phoneNumber } = await changeUser(user, { phoneNumber: o.off ? null : (number as string) }, {}, runtime.ctx);
        print(o, { id: user.id, username: user.username, tenant: o.tenant, phone_number: phoneNumber }, () =>
          phoneNumber === null ? `${user.username} in ${o.tenant} has no phone number now` : `${user.username} in ${o.tenant} now has the phone number ${phoneNumber}`,
        );
      }),
    );

  users
    .command('sign-out')
    .description("end every session of a user (sign out everywhere); the apps those sessions signed in get their logout tokens")
    .requiredOption('--tenant <slug>')
    .requiredOption('--username <username>')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const user = await existingUser(runtime, o);
        const sessions = await signOutEverywhere(user, {}, runtime.ctx);
        // The first attempt now; what fails is retried by the running server's delivery.
        const run = await deliverDueLogouts(runtime.ctx);
        print(o, { id: user.id, username: user.username, tenant: o.tenant, sessions_ended: sessions, logout_tokens: run }, () =>
          [`signed ${user.username} out of ${sessions} ${sessions === 1 ? 'session' : 'sessions'} in ${o.tenant}`, ...(run.delivered + run.retrying + run.failed > 0 ? [`logout tokens: ${run.delivered} delivered, ${run.retrying} to retry, ${run.failed} given up`] : [])].join('\n'),
        );
      }),
    );

  users
    .command('reset-mfa')
    .description("remove every second factor of a user (authenticator app, recovery codes, passkeys), for one who lost them; audited")
    .requiredOption('--tenant <slug>')
    .requiredOption('--username <username>')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const user = await existingUser(runtime, o);
        const removed = await resetSecondFactors(user, {}, runtime.ctx);
        print(o, { id: user.id, username: user.username, tenant: o.tenant, factors_removed: removed }, () => `removed ${removed} second ${removed === 1 ? 'factor' : 'factors'} of ${user.username} in ${o.tenant}`);
      }),
    );
}
