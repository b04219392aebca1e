// Platform admins' list of self-registered clients (RFC 7591), and deleting one (which revokes
// everything it was issued) behind a confirmation page.
import type { App } from '../../domain/app.ts';
import { DEFAULT_REGISTRATION } from '../../domain/registration.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import { deleteDynamicClient } from '../../platform/dynamic-clients.ts';
import { deleteDynamicClientPage } from '../../pages/console/confirm.ts';
import { dynamicClientsPage } from '../../pages/console/dynamic-clients.ts';
import type { Route } from '../route.ts';
import { sendPage } from '../send-page.ts';
import { BUTTON_FORM, readForm } from './forms.ts';
import { idParam, type ConsoleGuard } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';

const LIST = '/console/admin/clients';

export function consoleDynamicClientRoutes(ctx: OAuthContext, guard: ConsoleGuard): Route[] {
  /** The self-registered client the path names, or undefined (console apps are not reachable here). */
  const clientOf = async (params: unknown): Promise<App | undefined> => {
    const id = idParam(params);
    const app = id === undefined ? undefined : await ctx.store.apps.byId(id);
    return app?.registration === 'dynamic' ? app : undefined;
  };
  const path = { id: idPath('client') };
  return [
    {
      method: 'GET',
      path: LIST,
      ...CONSOLE,
      operation: consoleView({ id: 'consoleDynamicClients', summary: 'Clients that registered themselves (RFC 7591)', role: 'platformAdmin' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'platformAdmin');
        if (!who) return reply;
        const clients = await ctx.store.apps.listByRegistration('dynamic');
        const purgeDays = ctx.registration?.purgeDays ?? DEFAULT_REGISTRATION.purgeDays;
        return sendPage(reply, 200, dynamicClientsPage({ viewer: who.viewer, clients, purgeDays, notice: who.flash?.notice }));
      },
    },
    {
      method: 'GET',
      path: `${LIST}/:id/delete`,
      ...CONSOLE,
      operation: consoleView({ id: 'consoleDeleteDynamicClientPage', summary: 'Confirm deleting a self-registered client', role: 'platformAdmin', path, notFound: 'client' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'platformAdmin');
        if (!who) return reply;
        const app = await clientOf(request.params);
        if (!app) return guard.notFound(reply, who, 'There is no such self-registered client.');
        return sendPage(reply, 200, deleteDynamicClientPage({ viewer: who.viewer, app }));
      },
    },
    {
      method: 'POST',
      path: `${LIST}/:id/delete`,
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleDeleteDynamicClient', summary: 'Delete a self-registered client and revoke its tokens', role: 'platformAdmin', form: BUTTON_FORM, path, notFound: 'client' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, BUTTON_FORM);
        const who = await guard.requirePost(request, reply, 'platformAdmin', form.values.csrf);
        if (!who) return reply;
        const app = await clientOf(request.params);
        if (!app) return guard.notFound(reply, who, 'There is no such self-registered client.');
        const deleted = await deleteDynamicClient(app, who.actor, ctx, 'deleted by a platform admin').catch(() => undefined);
        if (!deleted) return guard.notFound(reply, who, 'There is no such self-registered client.');
        return guard.done(request, reply, LIST, { notice: `The client “${app.name}” was deleted and its tokens revoked.` });
      },
    },
  ];
}
