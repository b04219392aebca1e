// `gatehouse users …`: create users, and make one a platform admin (who may mark apps verified).
import { type Command, Option } from 'commander';
import { ROLES, changeUser, createUser } from '../../platform/accounts.ts';
import type { UserRole } from '../../domain/identity.ts';
import { fail, print } from '../output.ts';
import { dataDirOption, jsonOption, tenantId, withRuntime } from '../shared.ts';

export function registerUserCommands(program: Command): void {
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
        const found = await runtime.ctx.store.users.forLogin(await tenantId(runtime, o.tenant, o), o.username);
        if (!found) fail(`no user "${o.username}" in ${o.tenant}`, o);
        const { passwordHash: _hash, ...user } = found;
        const platformAdmin = !o.off;
        await changeUser(user, { platformAdmin }, {}, runtime.ctx);
        print(o, { id: user.id, username: user.username, tenant: o.tenant, platform_admin: platformAdmin }, () =>
          platformAdmin ? `${user.username} in ${o.tenant} is now a platform admin` : `${user.username} in ${o.tenant} is no longer a platform admin`,
        );
      }),
    );
}
