// App connections (every signed-in user): the apps they allowed, and revoking one, which ends its
// refresh and access tokens for them at once.
import type { FastifyInstance } from 'fastify';
import type { OAuthContext } from '../oauth/context.ts';
import { listConnections, revokeConnection } from '../oauth/connections.ts';
import { connectionsPage } from '../pages/console/connections.ts';
import { readForm } from './console-forms.ts';
import { idParam, type ConsoleGuard } from './console-guard.ts';
import { sendPage } from './send-page.ts';

export function registerConsoleConnectionRoutes(app: FastifyInstance, ctx: OAuthContext, guard: ConsoleGuard): void {
  app.get('/console/connections', async (request, reply) => {
    const who = await guard.require(request, reply);
    if (!who) return reply;
    const revoked = (request.query as Record<string, unknown>).revoked === '1';
    const connections = await listConnections(who.user.id, ctx);
    return sendPage(reply, 200, connectionsPage({ viewer: who.viewer, connections, notice: revoked ? "The app's access was revoked." : undefined }));
  });

  app.post('/console/connections/:appId/revoke', async (request, reply) => {
    const form = readForm(request.body, ['csrf'] as const);
    const who = await guard.requirePost(request, reply, 'user', form.values.csrf);
    if (!who) return reply;
    const appId = idParam(request.params, 'appId');
    // Only the person's own grants can be revoked here: the user id is theirs, never from the form.
    const revoked = appId !== undefined && (await revokeConnection(who.user.id, appId, who.actor, ctx));
    if (!revoked) return guard.notFound(reply, who, 'You have no connection to this app.');
    return reply.redirect('/console/connections?revoked=1', 303);
  });
}
