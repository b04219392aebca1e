// Sign-in and sign-out, and the home page that says who is signed in.
import { strictest, waitInWords, type RateLimiter } from '../limits/rate-limiter.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { auditFailedLogin, authenticateUser } from '../platform/login.ts';
import { secondFactorMethods } from '../platform/second-factor.ts';
import { SECOND_FACTOR_PATH } from '../pages/second-factor.ts';
import { html as h } from '../pages/html.ts';
import { loginPage, unknownAccountPage } from '../pages/login.ts';
import { messagePage } from '../pages/message.ts';
import { signedInHomePage } from '../pages/home.ts';
import { viewerOf } from '../pages/console/shell.ts';
import { AUTHORIZE_PATH } from './authorize-routes.ts';
import { requestOrigin } from './request-origin.ts';
import { sendPage } from './send-page.ts';
import { sendErrorPage } from './errors.ts';
import { paramsSchema, readParams } from './params.ts';
import type { Route } from './route.ts';
import { CSRF_FIELD, type SessionCookies } from './sessions.ts';

const SAME_ORIGIN = 'http://return-to.invalid';

const PAGE = { surface: 'page', cors: 'none' } as const;
/** The sign-in page and form count as page views toward the per-address rate. */
const SIGN_IN = { ...PAGE, rateLimit: 'pagesPerIp' } as const;

const RETURN_TO = 'Where to go after signing in: a path on this server (anything else goes to /)';
const returnToSchema = paramsSchema({ return_to: RETURN_TO });
const logoutFormSchema = paramsSchema({
  csrf: CSRF_FIELD,
  return_to: 'Where to go after signing out: a path on this server (default /), e.g. the authorization request to sign in again for',
}, ['csrf']);
const loginFormSchema = paramsSchema({
  csrf: CSRF_FIELD,
  return_to: RETURN_TO,
  tenant: 'The account (on a host that names no account)',
  username: 'The username',
  password: 'The password',
}, ['csrf', 'username', 'password']);

/**
 * Only paths on this server may follow a sign-in: never another origin (no open redirect).
 * Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/\t/evil.example` or
 * `/\evil.example` would become `//evil.example`: whitespace and control characters are refused
 * outright (a real request URL has none), and what is left must resolve to this origin.
 */
export function safeReturnTo(value: string | undefined): string {
  if (value === undefined || !value.startsWith('/') || value.startsWith('//') || /[\x00-\x20\x7f]/.test(value)) return '/';
  try {
    if (new URL(value, SAME_ORIGIN).origin !== SAME_ORIGIN) return '/';
  } catch {
    return '/';
  }
  return value;
}

/** The app a sign-in continues to, so a failed attempt still says what it is for. */
async function appNameFor(returnTo: string, ctx: OAuthContext): Promise<string | undefined> {
  if (!returnTo.startsWith(`${AUTHORIZE_PATH}?`)) return undefined;
  const clientId = new URLSearchParams(returnTo.slice(AUTHORIZE_PATH.length + 1)).get('client_id');
  return clientId ? (await ctx.store.apps.byClientId(clientId))?.name : undefined;
}

export function loginRoutes(ctx: OAuthContext, sessions: SessionCookies, limiter: RateLimiter): Route[] {
  return [
    {
      method: 'GET',
      path: '/',
      ...PAGE,
      operation: { id: 'home', tag: 'Sign-in', summary: 'Who is signed in here, with links to the console (or a link to sign in)', responses: { '200': { description: 'The page', body: 'html' } } },
      handler: async (request, reply) => {
        const signedIn = await sessions.current(request);
        const csrf = sessions.csrfToken(request, reply);
        if (!signedIn) {
          return sendPage(reply, 200, messagePage('Gatehouse', h`<p>An OAuth 2.1 authorization server and app platform.</p><p><a href="/login">Sign in</a></p>`));
        }
        return sendPage(reply, 200, signedInHomePage(viewerOf(signedIn.user, signedIn.tenant, csrf)));
      },
    },
    {
      method: 'GET',
      path: '/login',
      ...SIGN_IN,
      operation: {
        id: 'loginPage',
        tag: 'Sign-in',
        summary: 'The sign-in page',
        query: returnToSchema,
        responses: {
          '200': { description: 'The sign-in form', body: 'html' },
          '404': { description: "On a tenant host whose account does not exist: a page saying so, linking to the main host's sign-in", body: 'html' },
          '429': { description: 'Too many requests', body: 'html' },
        },
      },
      handler: async (request, reply) => {
        const { values } = readParams(request.query, returnToSchema);
        const unknown = await sessions.unknownHostTenant(request);
        if (unknown !== undefined) {
          const signInUrl = `${ctx.issuer}/login?return_to=${encodeURIComponent(safeReturnTo(values.return_to))}`;
          return sendPage(reply, 404, unknownAccountPage({ slug: unknown, signInUrl, mainHost: new URL(ctx.issuer).host }));
        }
        return sendPage(
          reply,
          200,
          loginPage({ csrf: sessions.csrfToken(request, reply), returnTo: safeReturnTo(values.return_to), hostTenant: sessions.hostTenant(request) }),
        );
      },
    },
    {
      method: 'POST',
      path: '/login',
      ...SIGN_IN,
      operation: {
        id: 'login',
        tag: 'Sign-in',
        summary: 'Sign in (the sign-in form)',
        description: 'Checks the account, username and password (failures wait longer each time, per account and username and per address), then starts a session and goes on to `return_to`; a user with a second factor goes to its step first.',
        body: { schema: loginFormSchema, types: ['form'] },
        responses: {
          '303': { description: 'Signed in: to return_to, with the session cookie; or, for a user with a second factor, to its step (/login/second-factor) with a pending sign-in cookie', headers: { Location: 'A path on this server' } },
          '401': { description: 'The account, username or password is not right: the form again', body: 'html' },
          '403': { description: 'The form expired or came from elsewhere (CSRF)', body: 'html' },
          '429': { description: 'Too many attempts: the form again, with Retry-After', body: 'html' },
        },
      },
      handler: async (request, reply) => {
        const { values } = readParams(request.body, loginFormSchema);
        const returnTo = safeReturnTo(values.return_to);
        const hostTenant = sessions.hostTenant(request);
        if (!sessions.csrfValid(request, values.csrf)) {
          return sendErrorPage(reply, 403, 'Form expired', 'This form has expired or did not come from this site. Reload the page and try again.');
        }
        const tenant = hostTenant ?? values.tenant?.trim().toLowerCase();
        // Password guessing waits longer with each failure, per account+username and per IP.
        const userKey = `${tenant ?? ''}:${(values.username ?? '').toLowerCase()}`;
        const wait = strictest(await limiter.waiting('loginFailuresPerUser', userKey), await limiter.waiting('loginFailuresPerIp', request.ip));
        if (!wait.allowed) {
          ctx.metrics?.login('throttled');
          reply.header('Retry-After', String(wait.retryAfterSeconds));
          return sendPage(
            reply,
            429,
            loginPage({
              csrf: sessions.csrfToken(request, reply),
              returnTo,
              hostTenant,
              appName: await appNameFor(returnTo, ctx),
              error: `Too many attempts. Try again in ${waitInWords(wait.retryAfterSeconds)}.`,
              username: values.username,
              tenant: values.tenant,
            }),
          );
        }
        const result =
          tenant && values.username && values.password
            ? await authenticateUser(tenant, values.username, values.password, ctx)
            : undefined;
        if (!result) {
          ctx.metrics?.login('failure');
          await limiter.failure('loginFailuresPerUser', userKey);
          await limiter.failure('loginFailuresPerIp', request.ip);
          await auditFailedLogin(tenant, values.username, values.password !== undefined && values.password !== '', requestOrigin(request), ctx);
          return sendPage(
            reply,
            401,
            loginPage({
              csrf: sessions.csrfToken(request, reply),
              returnTo,
              hostTenant,
              appName: await appNameFor(returnTo, ctx),
              error: 'The account, username or password is not right.',
              username: values.username,
              tenant: values.tenant,
            }),
          );
        }
        await limiter.success('loginFailuresPerUser', userKey);
        ctx.metrics?.login('success');
        if ((await secondFactorMethods(result.user.id, ctx)).length > 0) {
          // No session yet: the second step (second-factor-routes.ts) starts it.
          await sessions.startSecondStep(reply, result.user, returnTo);
          return reply.redirect(SECOND_FACTOR_PATH, 303);
        }
        await ctx.audit?.record('login_succeeded', { tenantId: result.tenant.id, userId: result.user.id, origin: requestOrigin(request) });
        await sessions.signOut(request, reply, 'replaced by a new sign-in');
        await sessions.signIn(reply, result.user);
        return reply.redirect(returnTo, 303);
      },
    },
    {
      method: 'POST',
      path: '/logout',
      ...PAGE,
      operation: {
        id: 'logout',
        tag: 'Sign-in',
        summary: 'Sign out',
        body: { schema: logoutFormSchema, types: ['form'] },
        security: ['session'],
        responses: {
          '303': { description: 'Signed out: to return_to (the consent page\'s "Sign in as someone else" comes back to its request), else the home page', headers: { Location: 'A path on this server' } },
          '403': { description: 'The form expired (CSRF)', body: 'html' },
        },
      },
      handler: async (request, reply) => {
        const { values } = readParams(request.body, logoutFormSchema);
        if (!sessions.csrfValid(request, values.csrf)) {
          return sendErrorPage(reply, 403, 'Form expired', 'This form has expired. Reload the page and try again.');
        }
        await sessions.signOut(request, reply);
        return reply.redirect(safeReturnTo(values.return_to), 303);
      },
    },
  ];
}
