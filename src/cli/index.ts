// The `gatehouse` command: one file per command group under commands/; every setting is a
// program-wide flag (shared.ts).
import { Command } from 'commander';
import { registerAppCommands } from './commands/apps.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerConfigCommand } from './commands/config.ts';
import { registerKeyCommands } from './commands/keys.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerResourceCommands } from './commands/resources.ts';
import { registerRegistrationTokenCommands } from './commands/registration-tokens.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerTenantCommands } from './commands/tenants.ts';
import { registerUserCommands } from './commands/users.ts';
import { registerSettingOptions } from './shared.ts';
import { projectVersion } from '../paths.ts';

export function buildProgram(): Command {
  const program = new Command('gatehouse')
    .description('Gatehouse: an OAuth 2.1 authorization server and app platform')
    .version(projectVersion(), '-V, --version', 'print the version');
  registerSettingOptions(program);
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerTenantCommands(program);
  registerUserCommands(program);
  registerAppCommands(program);
  registerResourceCommands(program);
  registerRegistrationTokenCommands(program);
  registerKeyCommands(program);
  registerAuditCommand(program);
  registerConfigCommand(program);
  return program;
}
