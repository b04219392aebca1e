// The web console at /console: its start page, sign-out, and every area's routes (apps, icons,
// connections, users and audit, platform admin). Pages need a session; see console-guard.ts.
import type { FastifyInstance } from 'fastify';
import type { OAuthContext } from '../oauth/context.ts';
import { homeFor } from '../pages/console/shell.ts';
import { registerConsoleAdminRoutes } from './console-admin-routes.ts';
import { registerConsoleAppRoutes } from './console-app-routes.ts';
import { registerConsoleConnectionRoutes } from './console-connection-routes.ts';
import { readForm } from './console-forms.ts';
import { ConsoleGuard, loginFor } from './console-guard.ts';
import { registerConsoleIconRoutes } from './console-icon-routes.ts';
import { registerConsoleUserRoutes } from './console-user-routes.ts';
import type { SessionCookies } from './sessions.ts';

export function registerConsoleRoutes(app: FastifyInstance, ctx: OAuthContext, sessions: SessionCookies): void {
  const guard = new ConsoleGuard(sessions);

  app.get('/console', async (request, reply) => {
    const who = await guard.require(request, reply);
    if (!who) return reply;
    return reply.redirect(homeFor(who.viewer), 302);
  });

  app.post('/console/logout', async (request, reply) => {
    const form = readForm(request.body, ['csrf'] as const);
    if (!guard.csrfOk(request, reply, form.values.csrf)) return reply;
    await sessions.signOut(request, reply);
    return reply.redirect(loginFor('/console'), 303);
  });

  registerConsoleAppRoutes(app, ctx, guard);
  registerConsoleIconRoutes(app, ctx, guard);
  registerConsoleConnectionRoutes(app, ctx, guard);
  registerConsoleUserRoutes(app, ctx, guard);
  registerConsoleAdminRoutes(app, ctx, guard);
}
