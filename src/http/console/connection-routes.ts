// App connections (every signed-in user): the apps they allowed, and revoking one, which ends its
// refresh and access tokens for them at once.
import type { OAuthContext } from '../../oauth/context.ts';
import { listConnections, revokeConnection } from '../../platform/connections.ts';
import { connectionsPage } from '../../pages/console/connections.ts';
import { revokeConnectionPage } from '../../pages/console/confirm.ts';
import type { Connection } from '../../domain/grant.ts';
import type { FastifyRequest } from 'fastify';
import { BUTTON_FORM, readForm } from './forms.ts';
import { idParam, type ConsoleGuard, type ConsoleUser } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';
import type { Route } from '../route.ts';
import { sendPage } from '../send-page.ts';

export function consoleConnectionRoutes(ctx: OAuthContext, guard: ConsoleGuard): Route[] {
  /** The person's own connection to the app the route names. */
  async function ownConnection(request: FastifyRequest, who: ConsoleUser): Promise<Connection | undefined> {
    const appId = idParam(request.params, 'appId');
    return appId === undefined ? undefined : (await listConnections(who.user.id, ctx)).find((c) => c.appId === appId);
  }

  return [
    {
      method: 'GET',
      path: '/console/connections',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleConnections', summary: 'The apps this person allowed, and what each may do', role: 'user' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply);
        if (!who) return reply;
        const connections = await listConnections(who.user.id, ctx);
        return sendPage(reply, 200, connectionsPage({ viewer: who.viewer, connections, notice: who.flash?.notice }));
      },
    },
    {
      method: 'GET',
      path: '/console/connections/:appId/revoke',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleRevokeConnectionPage', summary: "Confirm revoking an app's access", role: 'user', path: { appId: idPath('app') }, notFound: 'connection' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply);
        if (!who) return reply;
        const connection = await ownConnection(request, who);
        if (!connection) return guard.notFound(reply, who, 'You have no connection to this app.');
        return sendPage(reply, 200, revokeConnectionPage({ viewer: who.viewer, connection }));
      },
    },
    {
      method: 'POST',
      path: '/console/connections/:appId/revoke',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleRevokeConnection', summary: "Revoke an app's access: its consent and every token it holds for this person", role: 'user', form: BUTTON_FORM, path: { appId: idPath('app') }, notFound: 'connection' }),
      handler: async (request, reply) => {
        const form = readForm(request.body, BUTTON_FORM);
        const who = await guard.requirePost(request, reply, 'user', form.values.csrf);
        if (!who) return reply;
        const appId = idParam(request.params, 'appId');
        const connection = await ownConnection(request, who);
        // Only the person's own grants and tokens can be revoked here: the user id is theirs, never from the form.
        const revoked = appId !== undefined && (await revokeConnection(who.user.id, appId, who.actor, ctx));
        if (!revoked) return guard.notFound(reply, who, 'You have no connection to this app.');
        return guard.done(request, reply, '/console/connections', { notice: `The access of ${connection?.appName ?? 'the app'} was revoked.` });
      },
    },
  ];
}
