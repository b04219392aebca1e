// Sign-in and sign-out, and the home page that says who is signed in.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { strictest, type RateLimiter } from '../limits/rate-limiter.ts';
import { quoted, type RequestOrigin } from '../oauth/audit.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { authenticateUser } from '../oauth/login.ts';
import { html as h } from '../pages/html.ts';
import { loginPage } from '../pages/login.ts';
import { messagePage } from '../pages/message.ts';
import { AUTHORIZE_PATH } from './authorize-routes.ts';
import { requestOrigin } from './request-origin.ts';
import { sendPage } from './send-page.ts';
import { sendErrorPage } from './errors.ts';
import { readParams } from './params.ts';
import type { SessionCookies } from './sessions.ts';

const SAME_ORIGIN = 'http://return-to.invalid';

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

/** A failed sign-in for the audit log: the username tried and its account when they exist; never the password. */
async function auditFailedLogin(tenantSlug: string | undefined, username: string | undefined, passwordGiven: boolean, origin: RequestOrigin, ctx: OAuthContext) {
  if (!ctx.audit) return;
  const lookup = async () => {
    const tenant = tenantSlug ? await ctx.store.tenants.bySlug(tenantSlug) : undefined;
    const user = tenant && username ? await ctx.store.users.forLogin(tenant.id, username) : undefined;
    return { tenant, userId: user?.id };
  };
  const { tenant, userId } = await lookup().catch(() => ({ tenant: undefined, userId: undefined }));
  const detail = [
    `username ${quoted(username ?? '')}`,
    !tenantSlug ? 'no account given' : !tenant ? `unknown account ${quoted(tenantSlug)}` : undefined,
    tenant && username && userId === undefined ? 'no such user' : undefined,
    passwordGiven ? undefined : 'no password',
  ].filter((part) => part !== undefined);
  await ctx.audit.record('login_failed', { tenantId: tenant?.id, userId, origin, detail: detail.join('; ') });
}

export function registerLoginRoutes(app: FastifyInstance, ctx: OAuthContext, sessions: SessionCookies, limiter: RateLimiter): void {
  app.get('/', async (request, reply) => {
    const signedIn = await sessions.current(request);
    const csrf = sessions.csrfToken(request, reply);
    if (!signedIn) {
      return sendPage(reply, 200, messagePage('Gatehouse', h`<p>An OAuth 2.1 authorization server and app platform.</p><p><a href="/login">Sign in</a></p>`));
    }
    return sendPage(
      reply,
      200,
      messagePage(
        `Signed in`,
        h`<p>You are signed in as <strong>${signedIn.user.username}</strong> in <strong>${signedIn.tenant.name}</strong>.</p>`,
        { username: signedIn.user.username, tenant: signedIn.tenant.slug, csrf },
      ),
    );
  });

  app.get('/login', async (request, reply) => {
    const { values } = readParams(request.query, ['return_to'] as const);
    return sendPage(
      reply,
      200,
      loginPage({ csrf: sessions.csrfToken(request, reply), returnTo: safeReturnTo(values.return_to), hostTenant: sessions.hostTenant(request) }),
    );
  });

  app.post('/login', async (request, reply) => {
    const { values } = readParams(request.body, ['csrf', 'return_to', 'tenant', 'username', 'password'] as const);
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
          error: `Too many attempts. Try again in ${wait.retryAfterSeconds} seconds.`,
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
    await ctx.audit?.record('login_succeeded', { tenantId: result.tenant.id, userId: result.user.id, origin: requestOrigin(request) });
    await sessions.signOut(request, reply);
    await sessions.signIn(reply, result.user);
    return reply.redirect(returnTo, 303);
  });

  app.post('/logout', async (request, reply) => {
    const { values } = readParams(request.body, ['csrf'] as const);
    if (!sessions.csrfValid(request, values.csrf)) {
      return sendErrorPage(reply, 403, 'Form expired', 'This form has expired. Reload the page and try again.');
    }
    await sessions.signOut(request, reply);
    return reply.redirect('/', 303);
  });
}
