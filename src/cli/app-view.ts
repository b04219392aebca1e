// What `gatehouse apps …` reads and prints: an app by client id or name, its default resource as an
// `ID|URI` argument, and an app as --json shows it (never the secret hash).
import type { App } from '../domain/app.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { knownResource } from '../oauth/resources.ts';
import { serviceScopeArgs } from '../platform/service-scopes.ts';
import { fail, type OutputOptions } from './output.ts';
import { resourceOrFail } from './resource-view.ts';
import type { Runtime } from './runtime.ts';

/** An app by client id or by its (unique) name. */
export async function findApp(runtime: Runtime, ref: string, options: OutputOptions): Promise<App> {
  const app = (await runtime.ctx.store.apps.byClientId(ref)) ?? (await runtime.ctx.store.apps.byName(ref));
  if (!app) fail(`no app with client id or name "${ref}"; see: gatehouse apps list`, options);
  return app;
}

/** `--default-resource ID|URI` as the app stores it: the resource's id, or null for the built-in API. */
export async function defaultResourceArg(ref: string, ctx: OAuthContext, options: OutputOptions): Promise<number | null> {
  const resource = await resourceOrFail(ref, ctx, options);
  return resource.builtIn ? null : resource.id;
}

/** What `apps list --json` and `apps show --json` print of each app; default_resource null is the built-in API. */
export async function appViews(apps: readonly App[], ctx: OAuthContext) {
  const slugs = new Map<number | null, string | undefined>([[null, undefined]]);
  for (const { tenantId } of apps) if (tenantId !== null && !slugs.has(tenantId)) slugs.set(tenantId, (await ctx.store.tenants.byId(tenantId))?.slug);
  const resources = new Map((await ctx.store.resourceServers.list()).map((server) => [server.id, knownResource(server, ctx)]));
  return apps.map((app) => {
    const resource = app.defaultResourceId === null ? undefined : resources.get(app.defaultResourceId);
    return {
      id: app.id,
      client_id: app.clientId,
      name: app.name,
      tenant: slugs.get(app.tenantId),
      description: app.description,
      redirect_uris: app.redirectUris,
      limit_to_account: app.limitToAccount,
      verified: app.verified,
      refresh_rotation: app.refreshRotation,
      grant_types: app.grantTypes,
      default_resource: resource && !resource.builtIn ? resource.identifier : null,
      // null: ilert's rule (the secret optional per request).
      token_endpoint_auth_method: app.tokenEndpointAuthMethod,
      ...(app.jwksUri === null ? {} : { jwks_uri: app.jwksUri }),
      ...(app.jwks === null ? {} : { jwks_keys: app.jwks.keys.length }),
      // As --service-scope takes them: `source:w` for the built-in API, `IDENTIFIER=SCOPE` for another.
      service_scopes: serviceScopeArgs(app.serviceScopes, resources),
      // OpenID Connect's settings (backchannel_logout_uri null: none).
      post_logout_redirect_uris: app.postLogoutRedirectUris,
      backchannel_logout_uri: app.backchannelLogoutUri,
      subject_type: app.subjectType,
      disabled: app.disabledAt !== null,
      disabled_at: app.disabledAt?.toISOString() ?? null,
      created_at: app.createdAt.toISOString(),
    };
  });
}
