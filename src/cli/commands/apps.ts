// `gatehouse apps …`: register, list, show, change, rotate the secret of, verify and delete apps.
import { Option, type Command } from 'commander';
import { auditAppCreated, deleteApp, rotateAppSecret, setAppVerified, updateAppSettings } from '../../platform/app-management.ts';
import { registerApp } from '../../platform/apps.ts';
import { tokenFamilies } from '../../platform/audit.ts';
import { DEFAULT_GRANT_TYPES, REFRESH_ROTATIONS, type RefreshRotation } from '../../domain/app.ts';
import { GRANT_TYPES } from '../../oauth/grants/index.ts';
import { expandGrantType, shortGrantType } from '../../oauth/grants/shorthand.ts';
import { appViews, defaultResourceArg, findApp } from '../app-view.ts';
import { authMethodArgs, withAuthMethodOptions } from '../auth-method-args.ts';
import { setAppDisabled } from '../../platform/app-disabling.ts';
import { serviceScopeChoices } from '../service-scope-args.ts';
import { OIDC_FLAGS, oidcArgs, withOidcOptions } from '../oidc-args.ts';
import { fail, print } from '../output.ts';
import { dataDirOption, jsonOption, tenantId, withRuntime } from '../shared.ts';

const collect = (v: string, all: string[] = []) => [...all, v];

/** `--grant-type TYPE`, repeatable, one of the registered grants (registration refuses others, saying which there are). */
const grantTypeOption = (description: string) =>
  new Option('--grant-type <type>', `${description}: ${GRANT_TYPES.map(shortGrantType).join(', ')}`).argParser((v: string, all?: string[]) => collect(expandGrantType(v), all));

const SERVICE_SCOPE = 'what client_credentials may ask (repeat for several): SCOPE of the built-in API (e.g. source:w), or RESOURCE=SCOPE with the resource by id or identifier';

const DEFAULT_RESOURCE = 'the resource (id or identifier, see: gatehouse resources list) its token requests that name none are for';

/** The options of `apps update` that change settings (beside --disable and --enable). */
const SETTINGS_FLAGS = ['description', 'redirectUri', 'limitToAccount', 'refreshRotation', 'grantType', 'defaultResource', 'serviceScope', 'clearServiceScopes', ...OIDC_FLAGS];

export function registerAppCommands(program: Command): void {
  const apps = program.command('apps').description('manage apps (OAuth clients)');
  withOidcOptions(withAuthMethodOptions(apps
    .command('create')))
    .description('register an app (an OAuth client) and print its client id and secret, once')
    .requiredOption('--tenant <slug>', 'the owner tenant')
    .requiredOption('--name <name>', 'unique app name (cannot be changed later)')
    .option('--redirect-uri <uri>', 'redirect URL (repeat for several; required unless the app cannot use authorization_code)', collect)
    .option('--description <text>', 'what the app does')
    .option('--limit-to-account', 'only users of the owner tenant may authorize it')
    .addOption(
      new Option('--refresh-rotation <policy>', 'new refresh token on each refresh: always, public (when no client secret is sent), never (ilert)')
        .choices(REFRESH_ROTATIONS)
        .default('public'),
    )
    .addOption(grantTypeOption(`grant type it may use (repeat for several; default ${DEFAULT_GRANT_TYPES.join(' and ')})`))
    .option('--default-resource <id|uri>', `${DEFAULT_RESOURCE} (default: the built-in API)`)
    .option('--service-scope <scope>', SERVICE_SCOPE, collect)
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const { app, clientSecret } = await registerApp(
          {
            tenantId: await tenantId(runtime, o.tenant, o),
            name: o.name,
            description: o.description,
            redirectUris: o.redirectUri ?? [],
            limitToAccount: Boolean(o.limitToAccount),
            refreshRotation: o.refreshRotation as RefreshRotation,
            grantTypes: o.grantType,
            defaultResourceId: o.defaultResource === undefined ? undefined : await defaultResourceArg(o.defaultResource, runtime.ctx, o),
            tokenEndpointAuthMethod: null,
            ...authMethodArgs(o),
            serviceScopes: serviceScopeChoices(o.serviceScope ?? []),
            ...oidcArgs(o),
          },
          runtime.ctx,
        );
        await auditAppCreated(app, {}, runtime.ctx);
        // none and private_key_jwt apps have no secret: nothing to print, nothing to store.
        const method = app.tokenEndpointAuthMethod;
        print(o, clientSecret === null ? { id: app.id, client_id: app.clientId, token_endpoint_auth_method: method } : { id: app.id, client_id: app.clientId, client_secret: clientSecret, ...(method === null ? {} : { token_endpoint_auth_method: method }) }, () =>
          [
            `created app "${app.name}" (id ${app.id})`,
            `client_id         ${app.clientId}`,
            ...(clientSecret === null ? [] : [`client_secret     ${clientSecret}`]),
            ...(method === null ? [] : [`auth method       ${method}`]),
            `refresh rotation  ${app.refreshRotation}`,
            `grant types       ${app.grantTypes.join(' ')}`,
            clientSecret === null ? 'It has no client secret.' : 'The secret is shown only now; store it safely.',
          ].join('\n'),
        );
      }),
    );

  apps
    .command('list')
    .description('list apps, newest first')
    .option('--tenant <slug>', 'only apps of this tenant')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (o) =>
      withRuntime(o, async (runtime) => {
        const list = await runtime.ctx.store.apps.list(o.tenant === undefined ? undefined : await tenantId(runtime, o.tenant, o));
        const rows = await appViews(list, runtime.ctx);
        print(o, rows, () =>
          rows.length === 0
            ? 'no apps'
            : rows.map((a) => `${a.client_id}  ${a.tenant ?? '?'}  ${a.verified ? 'verified  ' : 'unverified'}  ${a.disabled ? 'disabled  ' : ''}${a.name}`).join('\n'),
        );
      }),
    );

  apps
    .command('show <app>')
    .description('show an app (by client id or name)')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (ref: string, o) =>
      withRuntime(o, async (runtime) => {
        const [shown] = await appViews([await findApp(runtime, ref, o)], runtime.ctx);
        // default_resource null is the built-in API: the readable form names it.
        const readable = { ...shown, backchannel_logout_uri: shown?.backchannel_logout_uri ?? 'none', default_resource: shown?.default_resource ?? `built-in API (${runtime.ctx.audience})`, token_endpoint_auth_method: shown?.token_endpoint_auth_method ?? 'default (client secret optional per request, as on ilert)' };
        print(o, shown, () => Object.entries(readable).map(([key, value]) => `${key.padEnd(17)} ${Array.isArray(value) ? value.join(key === 'service_scopes' ? ', ' : ' ') : String(value)}`).join('\n'));
      }),
    );

  withOidcOptions(withAuthMethodOptions(apps
    .command('update <app>')), true)
    .description('change an app (its name and client id cannot change)')
    .option('--description <text>', 'what the app does')
    .option('--redirect-uri <uri>', 'redirect URL, replacing all (repeat for several)', collect)
    .option('--limit-to-account', 'only users of the owner tenant may authorize it')
    .option('--no-limit-to-account', 'users of any tenant may authorize it')
    .addOption(new Option('--refresh-rotation <policy>', 'always, public or never').choices(REFRESH_ROTATIONS))
    .addOption(grantTypeOption('grant type it may use, replacing all (repeat for several)'))
    .option('--default-resource <id|uri>', `${DEFAULT_RESOURCE} (the built-in API: 1)`)
    .option('--service-scope <scope>', `${SERVICE_SCOPE}; replaces all`, collect)
    .option('--clear-service-scopes', 'client_credentials may ask for nothing')
    .option('--disable', 'stop the app: it gets no tokens, and every token it holds is revoked')
    .option('--enable', 'let a disabled app get tokens again (what disabling revoked stays revoked)')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (ref: string, o) =>
      withRuntime(o, async (runtime) => {
        let app = await findApp(runtime, ref, o);
        if (o.disable && o.enable) fail('choose --disable or --enable, not both', o);
        if (o.serviceScope && o.clearServiceScopes) fail('choose --service-scope or --clear-service-scopes, not both', o);
        const onlyState = (o.disable || o.enable) && !SETTINGS_FLAGS.some((flag) => o[flag] !== undefined);
        const state = o.disable || o.enable ? await setAppDisabled(app, Boolean(o.disable), {}, runtime.ctx) : undefined;
        if (state) app = state.app;
        const updated = onlyState ? app : await updateAppSettings(
          app,
          {
            description: o.description ?? app.description,
            redirectUris: o.redirectUri ?? app.redirectUris,
            limitToAccount: o.limitToAccount ?? app.limitToAccount,
            refreshRotation: (o.refreshRotation as RefreshRotation | undefined) ?? app.refreshRotation,
            grantTypes: o.grantType ?? app.grantTypes,
            defaultResourceId: o.defaultResource === undefined ? undefined : await defaultResourceArg(o.defaultResource, runtime.ctx, o),
            ...authMethodArgs(o),
            serviceScopes: o.clearServiceScopes ? [] : o.serviceScope === undefined ? undefined : serviceScopeChoices(o.serviceScope),
            ...oidcArgs(o),
          },
          {},
          runtime.ctx,
        );
        const [shown] = await appViews([updated], runtime.ctx);
        // A method that needs a secret, on an app that has none: say how to get one.
        const noSecret = updated.clientSecretHash === null && updated.tokenEndpointAuthMethod !== 'none' && updated.tokenEndpointAuthMethod !== 'private_key_jwt';
        const stateLine = state && (o.disable ? `disabled it, revoked ${tokenFamilies(state.revokedFamilies)}` : 'enabled it');
        const secretLine = noSecret ? `\nit has no client secret yet: gatehouse apps rotate-secret ${updated.clientId}` : '';
        print(o, { ...shown, ...(state && o.disable ? { revoked_families: state.revokedFamilies } : {}) }, () => `updated app "${updated.name}"${stateLine ? `: ${stateLine}` : ''}${secretLine}`);
      }),
    );

  apps
    .command('rotate-secret <app>')
    .description('issue a new client secret; the old one stops working at once')
    .option('--revoke-tokens', 'also end every refresh and access token the app holds')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (ref: string, o) =>
      withRuntime(o, async (runtime) => {
        const app = await findApp(runtime, ref, o);
        const rotated = await rotateAppSecret(app, { revokeTokens: Boolean(o.revokeTokens) }, {}, runtime.ctx);
        print(o, { client_id: app.clientId, client_secret: rotated.clientSecret, revoked_families: rotated.revokedFamilies }, () =>
          [
            `new secret for "${app.name}"`,
            `client_secret     ${rotated.clientSecret}`,
            o.revokeTokens ? `revoked ${tokenFamilies(rotated.revokedFamilies)}` : 'existing tokens keep working',
            'The secret is shown only now; store it safely.',
          ].join('\n'),
        );
      }),
    );

  apps
    .command('verify <app>')
    .description('mark an app verified (or, with --off, unverified)')
    .option('--off', 'mark it unverified')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (ref: string, o) =>
      withRuntime(o, async (runtime) => {
        const app = await setAppVerified(await findApp(runtime, ref, o), !o.off, {}, runtime.ctx);
        print(o, { client_id: app.clientId, verified: app.verified }, () => `"${app.name}" is ${app.verified ? 'verified' : 'unverified'}`);
      }),
    );

  apps
    .command('delete <app>')
    .description('delete an app and end every token it was issued')
    .option('--yes', 'confirm: this cannot be undone')
    .addOption(dataDirOption())
    .addOption(jsonOption())
    .action(async (ref: string, o) =>
      withRuntime(o, async (runtime) => {
        const app = await findApp(runtime, ref, o);
        if (!o.yes) fail(`deleting "${app.name}" ends every token it was issued and cannot be undone; repeat with --yes`, o);
        const result = await deleteApp(app, {}, runtime.ctx);
        print(o, { client_id: app.clientId, deleted: true, revoked_families: result.revokedFamilies }, () => `deleted app "${app.name}", revoked ${tokenFamilies(result.revokedFamilies)}`);
      }),
    );
}
