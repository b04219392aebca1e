// `gatehouse users …`.
import { type Command, Option } from 'commander';
import { ROLES, createUser } from '../../oauth/accounts.ts';
import type { UserRole } from '../../store/types.ts';
import { print } from '../output.ts';
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
}
