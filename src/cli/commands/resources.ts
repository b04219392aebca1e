// `gatehouse resources …`: register, list, show, change, rotate the secret of and delete resource
// servers (the APIs tokens are issued for, RFC 8707). ID|URI is the id or the identifier.
import type { Command } from 'commander';
import { tokenFamilies } from '../../platform/audit.ts';
import { TOKEN_LIFETIME_BOUNDS, deleteResource, registerResource, rotateResourceSecret, updateResource, type ResourceSettings } from '../../platform/resources.ts';
import { columns, fail, print } from '../output.ts';
import { describeResource, lifetimeFrom, resourceOrFail, resourceRow, resourceSummary, scopesFrom } from '../resource-view.ts';
import { dataDirOption, jsonOption, withRuntime } from '../shared.ts';

const collect = (v: string, all: string[] = []) => [...all, v];
const LIFETIME = `seconds its access tokens live, ${TOKEN_LIFETIME_BOUNDS.min} to ${TOKEN_LIFETIME_BOUNDS.max}`;
const FAMILY = 'a scope family NAME=NOUN: NAME reads, NAME:w also creates and edits, NAME:d also deletes (repeat for several)';
const SCOPE = 'a plain scope NAME=DESCRIPTION, the sentence the consent page shows (repeat for several)';
const SECRET_ONCE = 'The secret is shown only now; store it safely (Gatehouse keeps only its hash).';

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;

export function registerResourceCommands(program: Command): void {
  const resources = program.command('resources').description('manage resource servers (the APIs access tokens are issued for)');
  resources
    .command('create')
    .description("register a resource server and print its credentials (for introspection), the secret once")
    .requiredOption('--identifier <uri>', 'the `resource` value apps send and the aud of its tokens: an absolute URI without fragment or query')
    .requiredOption('--name <name>', 'what the consent page and the console call it')
    .option('--description <text>', 'what the API is')
    .option('--family <name=noun>', FAMILY, collect)
    .option('--scope <name=description>', SCOPE, collect)
    .option('--token-lifetime <seconds>', `${LIFETIME} (default 3600)`)
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const { resource, clientSecret } = await registerResource(
          { identifier: o.identifier, name: o.name, description: o.description, scopes: scopesFrom(o, o) ?? [], accessTokenLifetime: lifetimeFrom(o.tokenLifetime) },
          {},
          runtime.ctx,
        );
        const shown = describeResource(resource, runtime.ctx);
        print(o, { id: shown.id, identifier: shown.identifier, client_id: shown.client_id, client_secret: clientSecret }, () =>
          [resourceSummary(resource, runtime.ctx), columns([['client_secret', clientSecret]]), SECRET_ONCE].join('\n'),
        );
      }),
    );

  resources
    .command('list')
    .description('list resource servers, the built-in API first')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const list = await runtime.ctx.store.resourceServers.list();
        print(o, list.map((server) => describeResource(server, runtime.ctx)), () => columns(list.map((server) => resourceRow(server, runtime.ctx))));
      }),
    );

  resources
    .command('show <resource>')
    .description('show a resource server (by id or identifier) with its scopes')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (ref: string, o) =>
      withRuntime(o, async (runtime) => {
        const resource = await resourceOrFail(ref, runtime.ctx, o);
        print(o, describeResource(resource, runtime.ctx), () => resourceSummary(resource, runtime.ctx));
      }),
    );

  resources
    .command('update <resource>')
    .description("change a resource server's name, description, scopes or token lifetime (its identifier cannot change)")
    .option('--name <name>', 'what the consent page and the console call it')
    .option('--description <text>', 'what the API is')
    .option('--family <name=noun>', `${FAMILY}; replaces every scope`, collect)
    .option('--scope <name=description>', `${SCOPE}; replaces every scope`, collect)
    .option('--token-lifetime <seconds>', LIFETIME)
    .addHelpText('after', "\nAny --family or --scope replaces the whole scope list: name every scope it should keep.\nThe built-in API's scopes and token lifetime cannot change.")
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (ref: string, o) =>
      withRuntime(o, async (runtime) => {
        const resource = await resourceOrFail(ref, runtime.ctx, o);
        const settings: ResourceSettings = {};
        if (o.name !== undefined) settings.name = o.name;
        if (o.description !== undefined) settings.description = o.description;
        const scopes = scopesFrom(o, o);
        if (scopes !== undefined) settings.scopes = scopes;
        if (o.tokenLifetime !== undefined) settings.accessTokenLifetime = lifetimeFrom(o.tokenLifetime);
        if (Object.keys(settings).length === 0) fail('nothing to change; give --name, --description, --family, --scope or --token-lifetime', o);
        const updated = await updateResource(resource, settings, {}, runtime.ctx);
        print(o, describeResource(updated, runtime.ctx), () => `updated resource "${updated.name}"\n${resourceSummary(updated, runtime.ctx)}`);
      }),
    );

  resources
    .command('rotate-secret <resource>')
    .description('issue a new secret for the resource server\'s credentials; the old one stops working at once')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (ref: string, o) =>
      withRuntime(o, async (runtime) => {
        const { resource, clientSecret } = await rotateResourceSecret(await resourceOrFail(ref, runtime.ctx, o), {}, runtime.ctx);
        const shown = describeResource(resource, runtime.ctx);
        print(o, { id: shown.id, identifier: shown.identifier, client_id: shown.client_id, client_secret: clientSecret }, () =>
          [`new secret for resource "${shown.name}"; the old one no longer works`, columns([['client_id', shown.client_id], ['client_secret', clientSecret]]), SECRET_ONCE].join('\n'),
        );
      }),
    );

  resources
    .command('delete <resource>')
    .description('delete a resource server and end every authorization that includes it')
    .option('--yes', 'confirm: this cannot be undone')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (ref: string, o) =>
      withRuntime(o, async (runtime) => {
        const resource = await resourceOrFail(ref, runtime.ctx, o);
        const { identifier } = describeResource(resource, runtime.ctx);
        // The built-in API is refused by the platform, with or without --yes.
        if (!o.yes && !resource.builtIn) {
          const defaulting = (await runtime.ctx.store.apps.list()).filter((app) => app.defaultResourceId === resource.id).length;
          const fallback = defaulting === 0 ? '' : `; ${plural(defaulting, 'app')} using it as default go${defaulting === 1 ? 'es' : ''} back to the built-in API`;
          fail(
            `deleting "${resource.name}" (${identifier}) revokes every authorization that includes it: their access and refresh tokens stop working at once, also those for other resources${fallback}; ` +
              'this cannot be undone; repeat with --yes',
            o,
          );
        }
        const { revokedFamilies } = await deleteResource(resource, {}, runtime.ctx);
        print(o, { id: resource.id, identifier, deleted: true, revoked_families: revokedFamilies }, () => `deleted resource "${resource.name}" (${identifier}), revoked ${tokenFamilies(revokedFamilies)}`);
      }),
    );
}
