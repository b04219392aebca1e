// Who may use which console page: a signed-in user (else the login page, returning here), a
// tenant admin or a platform admin (else a 403 page), and, for every form post, the CSRF token.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/app-management.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import { consoleNotFoundPage, forbiddenPage, viewerOf, type Viewer } from '../../pages/console/shell.ts';
import type { Tenant, User } from '../../domain/identity.ts';
import type { Flash } from '../../domain/session.ts';
import { sendErrorPage } from '../errors.ts';
import { SECURITY_PATH } from '../../pages/console/security.ts';
import { sendPage } from '../send-page.ts';
import { safeReturnTo } from '../login-routes.ts';
import { requestOrigin } from '../request-origin.ts';
import type { SessionCookies } from '../sessions.ts';

export interface ConsoleUser {
  user: User;
  tenant: Tenant;
  /** What the pages show of the person, including the CSRF token for their forms. */
  viewer: Viewer;
  /** Who the audit log names for what they do. */
  actor: Actor;
  /** On a page (GET): what the action that redirected here left for it, shown this once. */
  flash?: Flash;
  /** The account's MFA policy requires a second factor this person has not enrolled yet (see SignedIn.mustEnrol). */
  mustEnrol: boolean;
}

export type ConsoleRole = 'user' | 'tenantAdmin' | 'platformAdmin';

const FORBIDDEN: Record<Exclude<ConsoleRole, 'user'>, string> = {
  tenantAdmin: 'Only admins of this account can use this page.',
  platformAdmin: 'Only platform admins can use this page.',
};

/** The login page's address for coming back to `path` (same-origin paths only). */
export function loginFor(path: string): string {
  return `/login?return_to=${encodeURIComponent(safeReturnTo(path))}`;
}

export class ConsoleGuard {
  constructor(private readonly sessions: SessionCookies) {}

  /**
   * The signed-in person with the given role. Otherwise a reply is sent — the login page for
   * nobody (a GET returns to the same page afterwards), a 403 page for the wrong role — and the
   * result is undefined.
   */
  async require(request: FastifyRequest, reply: FastifyReply, role: ConsoleRole = 'user'): Promise<ConsoleUser | undefined> {
    const signedIn = await this.sessions.current(request);
    if (!signedIn) {
      // After a form post there is no page to come back to: the console's start page instead.
      const back = request.method === 'GET' ? request.url : '/console';
      reply.redirect(loginFor(back), request.method === 'GET' ? 302 : 303);
      return undefined;
    }
    if (signedIn.mustEnrol && !mayVisitWhileEnrolling(pathOf(request.url))) {
      // The account's MFA policy: until the user enrols a second factor, only the Security page (and signing out).
      reply.redirect(SECURITY_PATH, request.method === 'GET' ? 302 : 303);
      return undefined;
    }
    const { user, tenant } = signedIn;
    const viewer = viewerOf(user, tenant, this.sessions.csrfToken(request, reply));
    const consoleUser: ConsoleUser = { user, tenant, viewer, actor: { userId: user.id, origin: requestOrigin(request) }, mustEnrol: signedIn.mustEnrol === true };
    if (role !== 'user' && !viewer[role]) {
      sendPage(reply, 403, forbiddenPage(viewer, FORBIDDEN[role]));
      return undefined;
    }
    // Only a page view reads the flash (not a HEAD, not a form post), and only its own page's.
    if (request.method === 'GET') consoleUser.flash = await this.sessions.takeFlash(request, pathOf(request.url));
    return consoleUser;
  }

  /**
   * A completed action (Post/Redirect/Get): leaves the flash for `path` and answers 303 See Other
   * there, so a reload shows the result again without doing the action twice.
   */
  async done(request: FastifyRequest, reply: FastifyReply, path: string, flash: Flash): Promise<FastifyReply> {
    await this.sessions.leaveFlash(request, path, flash);
    return reply.redirect(path, 303);
  }

  /** Whether a posted form carries this browser's CSRF token; sends a 403 page when not. */
  csrfOk(request: FastifyRequest, reply: FastifyReply, posted: string | undefined): boolean {
    if (this.sessions.csrfValid(request, posted)) return true;
    sendErrorPage(reply, 403, 'Form expired', 'This form has expired or did not come from this site. Nothing was changed.', 'Go back, reload the page and try again.');
    return false;
  }

  /** For form posts: the person with the role, and a valid CSRF token; otherwise a reply was sent. */
  async requirePost(request: FastifyRequest, reply: FastifyReply, role: ConsoleRole, posted: string | undefined): Promise<ConsoleUser | undefined> {
    const who = await this.require(request, reply, role);
    if (!who || !this.csrfOk(request, reply, posted)) return undefined;
    return who;
  }

  notFound(reply: FastifyReply, who: ConsoleUser, what: string): FastifyReply {
    return sendPage(reply, 404, consoleNotFoundPage(who.viewer, what));
  }
}

/** A user of the console user's own account, named by the route's `:id`; otherwise a 404 page was sent. */
export async function accountUser(ctx: Pick<OAuthContext, 'store'>, guard: ConsoleGuard, reply: FastifyReply, who: ConsoleUser, params: unknown): Promise<User | undefined> {
  const id = idParam(params);
  const user = id === undefined ? undefined : await ctx.store.users.byId(id);
  if (user && user.tenantId === who.tenant.id) return user;
  guard.notFound(reply, who, 'There is no such user in this account.');
  return undefined;
}

/** What a session that must enrol a second factor may reach: the Security page and its TOTP and passkey pages, and signing out. */
const mayVisitWhileEnrolling = (path: string): boolean => path === SECURITY_PATH || path.startsWith(`${SECURITY_PATH}/`) || path === '/console/logout';

/** A request URL's path, without its query. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** A numeric id from a route parameter, or undefined when it is not one. */
export function idParam(params: unknown, name = 'id'): number | undefined {
  const raw = params !== null && typeof params === 'object' ? (params as Record<string, unknown>)[name] : undefined;
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,14}$/.test(raw)) return undefined;
  return Number(raw);
}
