// App connections (every signed-in user): the apps they allowed, and revoking one, which ends its
// refresh and access tokens for them at once.
import type { OAuthContext } from '../../oauth/context.ts';
import { listConnections, revokeConnection } from '../../platform/connections.ts';
import { connectionsPage } from '../../pages/console/connections.ts';
import { BUTTON_FORM, readForm } from './forms.ts';
import { idParam, type ConsoleGuard } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';
import type { Route } from '../route.ts';
import { sendPage } from '../send-page.ts';

export function consoleConnectionRoutes(ctx: OAuthContext, guard: ConsoleGuard): Route[] {
  return [
    {
      method: 'GET',
      path: '/console/connections',
      ...CONSOLE,
      operation: consoleView({ id: 'consoleConnections', summary: 'The apps this person allowed, and what each may do', role: 'user' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply);
        if (!who) return reply;
        const revoked = (request.query as Record<string, unknown>).revoked === '1';
        const connections = await listConnections(who.user.id, ctx);
        return sendPage(reply, 200, connectionsPage({ viewer: who.viewer, connections, notice: revoked ? "The app's access was revoked." : undefined }));
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
        // Only the person's own grants can be revoked here: the user id is theirs, never from the form.
        const revoked = appId !== undefined && (await revokeConnection(who.user.id, appId, who.actor, ctx));
        if (!revoked) return guard.notFound(reply, who, 'You have no connection to this app.');
        return reply.redirect('/console/connections?revoked=1', 303);
      },
    },
  ];
}
