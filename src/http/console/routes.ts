// The web console at /console: its start page, sign-out, and every area's routes (apps, icons,
// connections, users and audit, sign out everywhere, security (second factors), platform admin: all apps, resource servers). Pages need a session; see guard.ts.
import type { RateLimiter } from '../../limits/rate-limiter.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import { homeFor } from '../../pages/console/shell.ts';
import type { Route } from '../route.ts';
import type { SessionCookies } from '../sessions.ts';
import { consoleAdminRoutes } from './admin-routes.ts';
import { consoleAppRoutes } from './app-routes.ts';
import { consoleAppDisableRoutes } from './app-disable-routes.ts';
import { consoleConnectionRoutes } from './connection-routes.ts';
import { consoleDynamicClientRoutes } from './dynamic-client-routes.ts';
import { BUTTON_FORM, readForm } from './forms.ts';
import { ConsoleGuard, loginFor } from './guard.ts';
import { consoleIconRoutes } from './icon-routes.ts';
import { consoleResourceActionRoutes } from './resource-action-routes.ts';
import { consoleResourceRoutes } from './resource-routes.ts';
import { CONSOLE, consoleAction } from './operations.ts';
import { consoleUserRoutes } from './user-routes.ts';
import { consoleSignOutRoutes } from './sign-out-routes.ts';
import { consoleMfaRoutes } from './mfa-routes.ts';
import { consoleSecurityRoutes } from './security-routes.ts';
import { consolePasskeyRoutes } from './passkey-routes.ts';

export function consoleRoutes(ctx: OAuthContext, sessions: SessionCookies, limiter: RateLimiter): Route[] {
  const guard = new ConsoleGuard(sessions);
  return [
    {
      method: 'GET',
      path: '/console',
      ...CONSOLE,
      operation: {
        id: 'console',
        tag: 'Console',
        summary: "The console's start: the first section this person may use",
        security: ['session'],
        responses: {
          '302': { description: 'To the first section (or, signed out, to the sign-in page)', headers: { Location: 'The section' } },
        },
      },
      handler: async (request, reply) => {
        const who = await guard.require(request, reply);
        if (!who) return reply;
        return reply.redirect(homeFor(who.viewer), 302);
      },
    },
    {
      method: 'POST',
      path: '/console/logout',
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleLogout', summary: 'Sign out of the console', role: 'user', form: BUTTON_FORM }),
      handler: async (request, reply) => {
        const form = readForm(request.body, BUTTON_FORM);
        if (!guard.csrfOk(request, reply, form.values.csrf)) return reply;
        await sessions.signOut(request, reply);
        return reply.redirect(loginFor('/console'), 303);
      },
    },
    ...consoleAppRoutes(ctx, guard),
    ...consoleAppDisableRoutes(ctx, guard),
    ...consoleIconRoutes(ctx, guard),
    ...consoleConnectionRoutes(ctx, guard),
    ...consoleUserRoutes(ctx, guard),
    ...consoleSignOutRoutes(ctx, guard, sessions),
    ...consoleMfaRoutes(ctx, guard),
    ...consoleSecurityRoutes(ctx, guard, limiter),
    ...consolePasskeyRoutes(ctx, guard, sessions),
    ...consoleAdminRoutes(ctx, guard),
    ...consoleResourceRoutes(ctx, guard),
    ...consoleResourceActionRoutes(ctx, guard),
    ...consoleDynamicClientRoutes(ctx, guard),
  ];
}
