// Resource servers in the console, for platform admins: the list, registering one (its page then
// shows the client secret, once), and its page with its settings. Rotating and deleting:
// resource-action-routes.ts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceServer } from '../../domain/resource-server.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import { registerResource, updateResource } from '../../platform/resources.ts';
import type { FieldErrors } from '../../pages/console/parts.ts';
import { EMPTY_RESOURCE_FORM, createResourcePage, type ResourceFormValues } from '../../pages/console/resource-form.ts';
import { manageResourcePage, resourceFormValues } from '../../pages/console/resource-manage.ts';
import { resourcesPage } from '../../pages/console/resources.ts';
import { sendErrorPage } from '../errors.ts';
import type { Route } from '../route.ts';
import { sendPage } from '../send-page.ts';
import { attempt, readForm } from './forms.ts';
import { idParam, type ConsoleGuard, type ConsoleUser } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';
import { RESOURCE_FORM, changeFrom, registrationFrom, resourceFormFromBody } from './resource-forms.ts';
import { resourceView, resourceViews } from './resource-views.ts';

const NO_SUCH_RESOURCE = 'There is no such resource.';

/** The page of a resource, where its actions lead. */
export const resourcePath = (resource: Pick<ResourceServer, 'id'>): string => `/console/admin/resources/${resource.id}`;

/** The live resource the route names; otherwise a 404 page was sent. */
export async function routeResource(guard: ConsoleGuard, ctx: OAuthContext, request: FastifyRequest, reply: FastifyReply, who: ConsoleUser): Promise<ResourceServer | undefined> {
  const id = idParam(request.params);
  const resource = id === undefined ? undefined : await ctx.store.resourceServers.byId(id);
  if (!resource) guard.notFound(reply, who, NO_SUCH_RESOURCE);
  return resource;
}

/** A resource's page: the flash of the action that led here (its notice, a new secret), or the refused form. */
function sendResourcePage(reply: FastifyReply, status: number, ctx: OAuthContext, who: ConsoleUser, resource: ResourceServer, view: { values?: ResourceFormValues; errors?: FieldErrors } = {}): FastifyReply {
  const shown = resourceView(resource, ctx);
  return sendPage(reply, status, manageResourcePage({ viewer: who.viewer, resource: shown, values: view.values ?? resourceFormValues(shown), errors: view.errors ?? {}, secret: who.flash?.secret, notice: who.flash?.notice }));
}

export function consoleResourceRoutes(ctx: OAuthContext, guard: ConsoleGuard): Route[] {
  return [
    {
      method: 'GET',
      path: '/console/admin/resources',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleResources', summary: 'The resource servers (APIs) tokens are issued for', role: 'platformAdmin' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'platformAdmin');
        if (!who) return reply;
        return sendPage(reply, 200, resourcesPage({ viewer: who.viewer, resources: await resourceViews(ctx), notice: who.flash?.notice }));
      },
    },
    {
      method: 'GET',
      path: '/console/admin/resources/new',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleNewResource', summary: 'The form that registers a resource server', role: 'platformAdmin' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'platformAdmin');
        if (!who) return reply;
        return sendPage(reply, 200, createResourcePage({ viewer: who.viewer, values: EMPTY_RESOURCE_FORM, errors: {} }));
      },
    },
    {
      method: 'POST',
      path: '/console/admin/resources',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleCreateResource', summary: "Register a resource server (then its page shows the client secret, this once)", role: 'platformAdmin', form: RESOURCE_FORM }),
      handler: async (request, reply) => {
        const form = readForm(request.body, RESOURCE_FORM);
        const who = await guard.requirePost(request, reply, 'platformAdmin', form.values.csrf);
        if (!who) return reply;
        if (form.problem) return sendErrorPage(reply, 400, 'Bad request', form.problem);
        const values = resourceFormFromBody(form.values);
        const refused = (errors: FieldErrors) => sendPage(reply, 400, createResourcePage({ viewer: who.viewer, values, errors }));
        const checked = registrationFrom(values, ctx);
        if ('errors' in checked) return refused(checked.errors);
        const created = await attempt(() => registerResource(checked.value, who.actor, ctx));
        if (!created.ok) return refused(created.errors);
        return guard.done(request, reply, resourcePath(created.value.resource), {
          notice: 'Resource registered. Copy the client secret now: it is shown only this once.',
          secret: created.value.clientSecret,
        });
      },
    },
    {
      method: 'GET',
      path: '/console/admin/resources/:id',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleResource', summary: "A resource server's identifier, credentials and settings", role: 'platformAdmin', path: { id: idPath('resource') }, notFound: 'resource' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'platformAdmin');
        const found = who && (await routeResource(guard, ctx, request, reply, who));
        if (!who || !found) return reply;
        return sendResourcePage(reply, 200, ctx, who, found);
      },
    },
    {
      method: 'POST',
      path: '/console/admin/resources/:id',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleUpdateResource', summary: "Change a resource server's name, description, scopes or token lifetime (its identifier stays)", role: 'platformAdmin', form: RESOURCE_FORM, path: { id: idPath('resource') }, notFound: 'resource' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, RESOURCE_FORM);
        const who = await guard.requirePost(request, reply, 'platformAdmin', form.values.csrf);
        const found = who && (await routeResource(guard, ctx, request, reply, who));
        if (!who || !found) return reply;
        if (form.problem) return sendErrorPage(reply, 400, 'Bad request', form.problem);
        // The identifier cannot change: whatever the form says, the resource's own stays.
        const values = { ...resourceFormFromBody(form.values), identifier: resourceView(found, ctx).identifier };
        const checked = changeFrom(values, found);
        if ('errors' in checked) return sendResourcePage(reply, 400, ctx, who, found, { values, errors: checked.errors });
        const updated = await attempt(() => updateResource(found, checked.value, who.actor, ctx));
        if (!updated.ok) return sendResourcePage(reply, 400, ctx, who, found, { values, errors: updated.errors });
        return guard.done(request, reply, resourcePath(found), { notice: 'Settings saved.' });
      },
    },
  ];
}
