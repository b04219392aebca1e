// "Sign out everywhere" in the console: a person ends every session of their own (this one too,
// so they land on the sign-in page), and an account admin ends a user's. Each asks first; every
// ended session notifies the apps it signed in (platform/backchannel-logout.ts); audited.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthContext } from '../../oauth/context.ts';
import { signOutEverywhere } from '../../platform/login.ts';
import { signOutEverywherePage, signOutUserPage } from '../../pages/console/sign-out-confirm.ts';
import type { User } from '../../domain/identity.ts';
import { BUTTON_FORM, readForm } from './forms.ts';
import { accountUser, loginFor, type ConsoleGuard, type ConsoleUser } from './guard.ts';
import { CONSOLE, consoleAction, consoleView, idPath } from './operations.ts';
import type { Route } from '../route.ts';
import type { SessionCookies } from '../sessions.ts';
import { sendPage } from '../send-page.ts';

const OWN = '/console/sign-out-everywhere';
const USER = '/console/users/:id/sign-out';
const SIGNED_OUT = { '303': { description: 'Done: to the page that shows the result, or (one\'s own sessions) to the sign-in page', headers: { Location: 'The page' } } };

export function consoleSignOutRoutes(ctx: OAuthContext, guard: ConsoleGuard, sessions: SessionCookies): Route[] {
  /** Ends every session of the user; when that includes this browser's, it goes to the sign-in page. */
  async function signOut(request: FastifyRequest, reply: FastifyReply, who: ConsoleUser, user: User) {
    const ended = await signOutEverywhere(user, who.actor, ctx);
    if (user.id === who.user.id) {
      sessions.forget(reply);
      return reply.redirect(loginFor('/console'), 303);
    }
    return guard.done(request, reply, '/console/users', { notice: `Signed ${user.username} out everywhere (${ended} ${ended === 1 ? 'session' : 'sessions'}).` });
  }

  return [
    {
      method: 'GET',
      path: OWN,
      ...CONSOLE,
      operation: consoleView({ id: 'consoleSignOutEverywherePage', summary: 'Confirm signing out of every browser and device', role: 'user' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply);
        if (!who) return reply;
        return sendPage(reply, 200, signOutEverywherePage({ viewer: who.viewer }));
      },
    },
    {
      method: 'POST',
      path: OWN,
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleSignOutEverywhere', summary: 'Sign out of every browser and device, this one too; the apps those sessions signed in are told', role: 'user', form: BUTTON_FORM, answers: SIGNED_OUT }),
      handler: async (request, reply) => {
        const form = readForm(request.body, BUTTON_FORM);
        const who = await guard.requirePost(request, reply, 'user', form.values.csrf);
        if (!who) return reply;
        return signOut(request, reply, who, who.user);
      },
    },
    {
      method: 'GET',
      path: USER,
      ...CONSOLE,
      operation: consoleView({ id: 'consoleSignOutUserPage', summary: "Confirm ending every session of a user of the account", path: { id: idPath('user') }, notFound: 'user' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply, 'tenantAdmin');
        if (!who) return reply;
        const user = await accountUser(ctx, guard, reply, who, request.params);
        if (!user) return reply;
        return sendPage(reply, 200, signOutUserPage({ viewer: who.viewer, user }));
      },
    },
    {
      method: 'POST',
      path: USER,
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleSignOutUser', summary: 'End every session of a user of the account; the apps those sessions signed in are told', form: BUTTON_FORM, path: { id: idPath('user') }, notFound: 'user', answers: SIGNED_OUT }),
      handler: async (request, reply) => {
        const form = readForm(request.body, BUTTON_FORM);
        const who = await guard.requirePost(request, reply, 'tenantAdmin', form.values.csrf);
        if (!who) return reply;
        const user = await accountUser(ctx, guard, reply, who, request.params);
        if (!user) return reply;
        return signOut(request, reply, who, user);
      },
    },
  ];
}
