// The destructive actions on a resource server, each behind a confirmation page: rotating its
// secret (the new one shown once, through the flash) and deleting it (every token for it ends).
import type { OAuthContext } from '../../oauth/context.ts';
import { deleteResource, rotateResourceSecret } from '../../platform/resources.ts';
import { deleteResourcePage, rotateResourceSecretPage } from '../../pages/console/confirm.ts';
import { sendErrorPage } from '../errors.ts';
import type { Route } from '../route.ts';
import { sendPage } from '../send-page.ts';
import { BUTTON_FORM, attempt, readForm } from './forms.ts';
import type { ConsoleGuard } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';
import { resourcePath, routeResource } from './resource-routes.ts';
import { resourceView } from './resource-views.ts';

const path = { id: idPath('resource') };
const BUILT_IN_STAYS = 'The built-in API cannot be deleted.';

export function consoleResourceActionRoutes(ctx: OAuthContext, guard: ConsoleGuard): Route[] {
  return [
    {
      method: 'GET',
      path: '/console/admin/resources/:id/secret',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleRotateResourceSecretPage', summary: "Confirm rotating a resource server's client secret", role: 'platformAdmin', path, notFound: 'resource' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'platformAdmin');
        const found = who && (await routeResource(guard, ctx, request, reply, who));
        if (!who || !found) return reply;
        return sendPage(reply, 200, rotateResourceSecretPage({ viewer: who.viewer, resource: resourceView(found, ctx) }));
      },
    },
    {
      method: 'POST',
      path: '/console/admin/resources/:id/secret',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleRotateResourceSecret', summary: "Make a new client secret for a resource server (the old one stops working; its page shows the new one, this once)", role: 'platformAdmin', form: BUTTON_FORM, path, notFound: 'resource' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, BUTTON_FORM);
        const who = await guard.requirePost(request, reply, 'platformAdmin', form.values.csrf);
        const found = who && (await routeResource(guard, ctx, request, reply, who));
        if (!who || !found) return reply;
        // Deleted meanwhile (another admin, another tab): the core says so, and so does the page.
        const rotated = await attempt(() => rotateResourceSecret(found, who.actor, ctx));
        if (!rotated.ok) return guard.notFound(reply, who, 'There is no such resource.');
        return guard.done(request, reply, resourcePath(found), {
          notice: 'New client secret made; the old one no longer works. Copy the new secret now: it is shown only this once.',
          secret: rotated.value.clientSecret,
        });
      },
    },
    {
      method: 'GET',
      path: '/console/admin/resources/:id/delete',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleDeleteResourcePage', summary: 'Confirm deleting a resource server', role: 'platformAdmin', path, notFound: 'resource' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'platformAdmin');
        const found = who && (await routeResource(guard, ctx, request, reply, who));
        if (!who || !found) return reply;
        if (found.builtIn) return guard.notFound(reply, who, BUILT_IN_STAYS);
        const defaultOf = (await ctx.store.apps.list()).filter((app) => app.defaultResourceId === found.id).length;
        return sendPage(reply, 200, deleteResourcePage({ viewer: who.viewer, resource: resourceView(found, ctx), defaultOf }));
      },
    },
    {
      method: 'POST',
      path: '/console/admin/resources/:id/delete',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleDeleteResource', summary: 'Delete a resource server, revoking every authorization that includes it', role: 'platformAdmin', form: BUTTON_FORM, path, notFound: 'resource' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, BUTTON_FORM);
        const who = await guard.requirePost(request, reply, 'platformAdmin', form.values.csrf);
        const found = who && (await routeResource(guard, ctx, request, reply, who));
        if (!who || !found) return reply;
        if (found.builtIn) return sendErrorPage(reply, 400, 'Not possible', BUILT_IN_STAYS);
        const deleted = await attempt(() => deleteResource(found, who.actor, ctx));
        if (!deleted.ok) return guard.notFound(reply, who, 'There is no such resource.');
        const families = deleted.value.revokedFamilies;
        const revoked = families === 0 ? 'No authorization included it.' : `${families === 1 ? 'One authorization was' : `${families} authorizations were`} revoked with all their tokens.`;
        return guard.done(request, reply, '/console/admin/resources', { notice: `The resource “${found.name}” was deleted. ${revoked}` });
      },
    },
  ];
}
