// Developer apps in the console (tenant admins): list, register, manage settings (the default
// resource among them, beside the resources the app can ask for), rotate the secret, delete.
// Another account's app answers 404, as if it did not exist.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { auditAppCreated, deleteApp, mayManageApp, rotateAppSecret, updateAppSettings } from '../../platform/app-management.ts';
import { registerApp } from '../../platform/apps.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import { EMPTY_APP_FORM, createAppPage, type AppFormValues } from '../../pages/console/app-form.ts';
import { appFormValues, manageAppPage } from '../../pages/console/app-manage.ts';
import { appsListPage } from '../../pages/console/apps-list.ts';
import { deleteAppPage, rotateSecretPage } from '../../pages/console/confirm.ts';
import { authorizeExample } from '../../platform/authorize-example.ts';
import type { FieldErrors } from '../../pages/console/parts.ts';
import { DEFAULT_GRANT_TYPES, type App } from '../../domain/app.ts';
import { APP_FORM, BUTTON_FORM, appFormFromBody, appSettingsFrom, attempt, consoleForm, readForm } from './forms.ts';
import { idParam, type ConsoleGuard, type ConsoleUser } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';
import type { Route } from '../route.ts';
import { sendPage } from '../send-page.ts';
import { sendErrorPage } from '../errors.ts';
import { resourceViews } from './resource-views.ts';
import { usesClientSecret } from '../../platform/app-auth-method.ts';

const ROTATE_FORM = consoleForm({ revoke_tokens: 'Any value: also revoke every token issued to the app' });

/** The app named by the route, if this person may manage it; otherwise a 404 page was sent. */
export async function manageableApp(guard: ConsoleGuard, ctx: OAuthContext, request: FastifyRequest, reply: FastifyReply, who: ConsoleUser): Promise<App | undefined> {
  const id = idParam(request.params);
  const app = id === undefined ? undefined : await ctx.store.apps.byId(id);
  if (!app || !mayManageApp(who.user, app)) {
    guard.notFound(reply, who, 'There is no such app in this account.');
    return undefined;
  }
  return app;
}

/** For an app's forms: the admin, with a valid CSRF token, and the app they may manage; otherwise a reply was sent. */
export async function appForPost(guard: ConsoleGuard, ctx: OAuthContext, request: FastifyRequest, reply: FastifyReply, csrf: string): Promise<{ who: ConsoleUser; found: App } | undefined> {
  const who = await guard.requirePost(request, reply, 'tenantAdmin', csrf);
  const found = who && (await manageableApp(guard, ctx, request, reply, who));
  return who && found ? { who, found } : undefined;
}

export interface ManageView {
  settings?: AppFormValues;
  errors?: FieldErrors;
}

/** The app's page: the flash of the action that led here (its notice, a new secret), or the refused form. */
export async function sendManagePage(reply: FastifyReply, status: number, ctx: OAuthContext, who: ConsoleUser, app: App, view: ManageView = {}): Promise<FastifyReply> {
  const resources = await resourceViews(ctx);
  return sendPage(
    reply,
    status,
    manageAppPage({
      viewer: who.viewer,
      app,
      issuer: ctx.issuer,
      settings: view.settings ?? appFormValues(app),
      errors: view.errors ?? {},
      secret: who.flash?.secret,
      notice: who.flash?.notice,
      example: authorizeExample(app, ctx.issuer),
      resources,
    }),
  );
}

/** The form that registers an app, beside the resources it can ask for. */
async function sendCreatePage(reply: FastifyReply, status: number, ctx: OAuthContext, who: ConsoleUser, values: AppFormValues, errors: FieldErrors): Promise<FastifyReply> {
  return sendPage(reply, status, createAppPage({ viewer: who.viewer, values, errors, resources: await resourceViews(ctx) }));
}

/** The page of an app, where its actions lead. */
export const appPath = (app: App): string => `/console/apps/${app.id}`;

export function consoleAppRoutes(ctx: OAuthContext, guard: ConsoleGuard): Route[] {
  return [
    {
      method: 'GET',
      path: '/console/apps',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleApps', summary: "The account's developer apps" }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'tenantAdmin');
        if (!who) return reply;
        const apps = await ctx.store.apps.list(who.tenant.id);
        return sendPage(reply, 200, appsListPage({ viewer: who.viewer, apps, notice: who.flash?.notice }));
      },
    },
    {
      method: 'GET',
      path: '/console/apps/new',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleNewApp', summary: 'The form that registers an app' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'tenantAdmin');
        if (!who) return reply;
        return sendCreatePage(reply, 200, ctx, who, EMPTY_APP_FORM, {});
      },
    },
    {
      method: 'POST',
      path: '/console/apps',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleCreateApp', summary: "Register an app (then its page shows the client secret, this once)", form: APP_FORM }),
      handler: async (request, reply) => {
        const form = readForm(request.body, APP_FORM);
        const who = await guard.requirePost(request, reply, 'tenantAdmin', form.values.csrf);
        if (!who) return reply;
        if (form.problem) return sendErrorPage(reply, 400, 'Bad request', form.problem);
        const values = appFormFromBody(form.values, DEFAULT_GRANT_TYPES, request.body);
        const checked = appSettingsFrom(values);
        if ('errors' in checked) return sendCreatePage(reply, 400, ctx, who, values, checked.errors);
        const created = await attempt(() => registerApp({ tenantId: who.tenant.id, name: values.name, ...checked.settings }, ctx));
        if (!created.ok) return sendCreatePage(reply, 400, ctx, who, values, created.errors);
        await auditAppCreated(created.value.app, who.actor, ctx);
        const { clientSecret } = created.value;
        // An app without a secret (none, private_key_jwt) has nothing to copy.
        return guard.done(request, reply, appPath(created.value.app), clientSecret === null ? { notice: 'App created.' } : {
          notice: 'App created. Copy the client secret now: it is shown only this once.',
          secret: clientSecret,
        });
      },
    },
    {
      method: 'GET',
      path: '/console/apps/:id',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleApp', summary: "An app's settings, credentials and endpoints", path: { id: idPath('app') }, notFound: 'app' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'tenantAdmin');
        if (!who) return reply;
        const found = await manageableApp(guard, ctx, request, reply, who);
        if (!found) return reply;
        return sendManagePage(reply, 200, ctx, who, found);
      },
    },
    {
      method: 'POST',
      path: '/console/apps/:id',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleUpdateApp', summary: "Change an app's settings (its name stays)", form: APP_FORM, path: { id: idPath('app') }, notFound: 'app' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, APP_FORM);
        const post = await appForPost(guard, ctx, request, reply, form.values.csrf);
        if (!post) return reply;
        const { who, found } = post;
        if (form.problem) return sendErrorPage(reply, 400, 'Bad request', form.problem);
        // The name cannot change: whatever the form says, the app's own stays.
        const values = { ...appFormFromBody(form.values, found.grantTypes, request.body), name: found.name };
        const checked = appSettingsFrom(values);
        if ('errors' in checked) return sendManagePage(reply, 400, ctx, who, found, { settings: values, errors: checked.errors });
        const updated = await attempt(() => updateAppSettings(found, checked.settings, who.actor, ctx));
        if (!updated.ok) return sendManagePage(reply, 400, ctx, who, found, { settings: values, errors: updated.errors });
        return guard.done(request, reply, appPath(found), { notice: 'Settings saved.' });
      },
    },
    {
      method: 'GET',
      path: '/console/apps/:id/secret',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleRotateSecretPage', summary: "Confirm rotating an app's client secret", path: { id: idPath('app') }, notFound: 'app' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'tenantAdmin');
        if (!who) return reply;
        const found = await manageableApp(guard, ctx, request, reply, who);
        if (!found) return reply;
        return sendPage(reply, 200, rotateSecretPage({ viewer: who.viewer, app: found }));
      },
    },
    {
      method: 'POST',
      path: '/console/apps/:id/secret',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleRotateSecret', summary: "Make a new client secret (the old one stops working; the app's page shows the new one, this once)", form: ROTATE_FORM, path: { id: idPath('app') }, notFound: 'app' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, ROTATE_FORM);
        const post = await appForPost(guard, ctx, request, reply, form.values.csrf);
        if (!post) return reply;
        const { who, found } = post;
        const revokeTokens = form.values.revoke_tokens !== '';
        if (!usesClientSecret(found.tokenEndpointAuthMethod)) {
          return sendManagePage(reply, 400, ctx, who, found, { errors: { form: `This app authenticates with ${found.tokenEndpointAuthMethod ?? ''} and has no client secret to rotate; change its authentication method first.` } });
        }
        // Deleted meanwhile (another admin, another tab): the core says so, and so does the page.
        const attempted = await attempt(() => rotateAppSecret(found, { revokeTokens }, who.actor, ctx));
        if (!attempted.ok) return guard.notFound(reply, who, 'There is no such app in this account.');
        const rotated = attempted.value;
        const revoked = revokeTokens ? ` ${rotated.revokedFamilies === 1 ? 'One grant was' : `${rotated.revokedFamilies} grants were`} revoked with all their tokens.` : '';
        return guard.done(request, reply, appPath(rotated.app), {
          notice: `New client secret made; the old one no longer works.${revoked} Copy the new secret now: it is shown only this once.`,
          secret: rotated.clientSecret,
        });
      },
    },
    {
      method: 'GET',
      path: '/console/apps/:id/delete',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleDeleteAppPage', summary: 'Confirm deleting an app', path: { id: idPath('app') }, notFound: 'app' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'tenantAdmin');
        if (!who) return reply;
        const found = await manageableApp(guard, ctx, request, reply, who);
        if (!found) return reply;
        return sendPage(reply, 200, deleteAppPage({ viewer: who.viewer, app: found }));
      },
    },
    {
      method: 'POST',
      path: '/console/apps/:id/delete',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleDeleteApp', summary: 'Delete an app with everything issued for it', form: BUTTON_FORM, path: { id: idPath('app') }, notFound: 'app' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, BUTTON_FORM);
        const post = await appForPost(guard, ctx, request, reply, form.values.csrf);
        if (!post) return reply;
        const { who, found } = post;
        const deleted = await attempt(() => deleteApp(found, who.actor, ctx));
        if (!deleted.ok) return guard.notFound(reply, who, 'There is no such app in this account.');
        return guard.done(request, reply, '/console/apps', { notice: `The app “${found.name}” was deleted and its tokens revoked.` });
      },
    },
  ];
}
