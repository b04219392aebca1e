// `gatehouse apps …`.
import { Option, type Command } from 'commander';
import { registerApp } from '../../oauth/apps.ts';
import { REFRESH_ROTATIONS, type RefreshRotation } from '../../store/types.ts';
import { print } from '../output.ts';
import { dataDirOption, jsonOption, tenantId, withRuntime } from '../shared.ts';

export function registerAppCommands(program: Command): void {
  const apps = program.command('apps').description('manage apps (OAuth clients)');
  apps
    .command('create')
    .requiredOption('--tenant <slug>', 'the owner tenant')
    .requiredOption('--name <name>', 'unique app name (cannot be changed later)')
    .requiredOption('--redirect-uri <uri>', 'redirect URL (repeat for several)', (v: string, all: string[] = []) => [...all, v])
    .option('--description <text>', 'what the app does')
    .option('--limit-to-account', 'only users of the owner tenant may authorize it')
    .addOption(
      new Option('--refresh-rotation <policy>', 'new refresh token on each refresh: always, public (when no client secret is sent), never (ilert)')
        .choices(REFRESH_ROTATIONS)
        .default('public'),
    )
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
            refreshRotation: o.refreshRotation as RefreshRotation,
          },
          runtime.ctx,
        );
        print(o, { id: app.id, client_id: app.clientId, client_secret: clientSecret }, () =>
          [
            `created app "${app.name}" (id ${app.id})`,
            `client_id         ${app.clientId}`,
            `client_secret     ${clientSecret}`,
            `refresh rotation  ${app.refreshRotation}`,
            'The secret is shown only now; store it safely.',
          ].join('\n'),
        );
      }),
    );
}
