// The /device pages (RFC 8628 §3.3): sign in, enter the code, confirm, done. Wrong codes say only
// that they are not valid and count toward a guessing limit per address and per session (§5.1).
import { deleteScopesNeedMfa } from '../platform/mfa-policy.ts';
import { SECURITY_PATH } from '../pages/console/security.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { strictest, waitInWords, type RateLimiter } from '../limits/rate-limiter.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { approveDeviceRequest, denyDeviceRequest, findDeviceRequest, type PendingDeviceRequest } from '../oauth/device-approval.ts';
import { signInSessionOf } from '../oauth/id-token.ts';
import { OAuthError } from '../oauth/errors.ts';
import { quoted } from '../platform/audit.ts';
import type { SignedIn } from '../platform/login.ts';
import { DEVICE_DECISION_PATH, DEVICE_PATH, deviceCodePage, deviceConfirmPage, deviceDonePage } from '../pages/device.ts';
import { loginPage, unknownAccountPage } from '../pages/login.ts';
import { sendErrorPage } from './errors.ts';
import { paramsSchema, readParams } from './params.ts';
import { requestOrigin } from './request-origin.ts';
import type { Route } from './route.ts';
import { sendPage } from './send-page.ts';
import { CSRF_FIELD, type SessionCookies } from './sessions.ts';

/** Pages: HTML errors, no CORS, and each view counts toward the per-address page rate. */
const PAGE = { surface: 'page', cors: 'none', rateLimit: 'pagesPerIp' } as const;

const USER_CODE = 'The code the device shows (XXXX-XXXX; case and dashes do not matter)';
const deviceQuerySchema = paramsSchema({ user_code: `${USER_CODE}, to prefill the form (verification_uri_complete)` });
const codeFormSchema = paramsSchema({ csrf: CSRF_FIELD, user_code: USER_CODE }, ['csrf', 'user_code']);
const decisionFormSchema = paramsSchema({ csrf: CSRF_FIELD, user_code: USER_CODE, decision: 'allow or deny' }, ['csrf', 'user_code', 'decision']);

const NOT_VALID = 'That code is not valid. Check the code on your device and type it again; a code works for 10 minutes, once.';
/** What the connections page lists the device's grant as. */
const DEVICE_CLIENT = 'A device (signed in with a code)';

export function deviceRoutes(ctx: OAuthContext, sessions: SessionCookies, limiter: RateLimiter): Route[] {
  const signedInAs = (request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn) => ({
    username: signedIn.user.username,
    tenant: signedIn.tenant.name,
    csrf: sessions.csrfToken(request, reply),
  });

  /** The code form again, with what went wrong (the code typed stays, so a typo can be fixed). */
  const codeForm = (request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn, status: number, error?: string, userCode?: string) =>
    sendPage(reply, status, deviceCodePage({ csrf: sessions.csrfToken(request, reply), signedInAs: signedInAs(request, reply, signedIn), userCode, error }));

  /**
   * The request a posted code names, or undefined after answering: guessing waits per address
   * and per session, and every wrong code counts toward both.
   */
  async function lookUp(request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn, typed: string | undefined): Promise<PendingDeviceRequest | undefined> {
    const wait = strictest(await limiter.waiting('userCodeFailuresPerIp', request.ip), await limiter.waiting('userCodeFailuresPerSession', signedIn.sessionIdHash));
    if (!wait.allowed) {
      reply.header('Retry-After', String(wait.retryAfterSeconds));
      codeForm(request, reply, signedIn, 429, `Too many wrong codes. Try again in ${waitInWords(wait.retryAfterSeconds)}.`, typed);
      return undefined;
    }
    const found = typed === undefined ? undefined : await findDeviceRequest(typed, ctx);
    if (!found) {
      await limiter.failure('userCodeFailuresPerIp', request.ip);
      await limiter.failure('userCodeFailuresPerSession', signedIn.sessionIdHash);
      codeForm(request, reply, signedIn, 400, NOT_VALID, typed);
      return undefined;
    }
    await limiter.success('userCodeFailuresPerSession', signedIn.sessionIdHash);
    return found;
  }

  /** An app limited to its account serves only that account's users: said before the user decides. */
  function limitedToAccount(reply: FastifyReply, found: PendingDeviceRequest, signedIn: SignedIn): boolean {
    if (!found.app.limitToAccount || found.app.tenantId === signedIn.user.tenantId) return false;
    sendErrorPage(reply, 403, 'This app is not available to you', `${found.app.name} is limited to the users of the account that registered it.`, 'Sign in with an account of that organization, or ask its developer.');
    return true;
  }

  /** The account requires a second factor for `:d` scopes and this session used none: refused with a page (the device flow has no step-up). */
  async function deleteScopesRefused(reply: FastifyReply, found: PendingDeviceRequest, signedIn: SignedIn): Promise<boolean> {
    if (signedIn.amr.includes('mfa') || !(await deleteScopesNeedMfa(signedIn.tenant.id, found.code.scope.split(' '), ctx))) return false;
    sendErrorPage(reply, 403, 'A second factor is needed', 'Your account requires a second factor to give an app a scope that deletes things (ending in :d), and this sign-in used none.', 'Sign out, sign in again with your authenticator app or passkey (add one on the Security page if you have none), then enter the code again.');
    return true;
  }

  /** Signed out: the sign-in form, coming back to the same page (and prefilled code) after. */
  async function signInFirst(request: FastifyRequest, reply: FastifyReply, userCode: string | undefined) {
    const returnTo = userCode === undefined ? DEVICE_PATH : `${DEVICE_PATH}?user_code=${encodeURIComponent(userCode)}`;
    const unknown = await sessions.unknownHostTenant(request);
    if (unknown !== undefined) {
      return sendPage(reply, 404, unknownAccountPage({ slug: unknown, signInUrl: `${ctx.issuer}${returnTo}`, mainHost: new URL(ctx.issuer).host }));
    }
    return sendPage(reply, 200, loginPage({ csrf: sessions.csrfToken(request, reply), returnTo, hostTenant: sessions.hostTenant(request) }));
  }

  return [
    {
      method: 'GET',
      path: DEVICE_PATH,
      ...PAGE,
      operation: {
        id: 'devicePage',
        tag: 'Sign-in',
        summary: 'Connect a device: enter its code (RFC 8628 verification_uri)',
        description: 'Signs the user in first, then shows the code form, prefilled from `user_code` (verification_uri_complete).',
        query: deviceQuerySchema,
        responses: {
          '200': { description: 'The sign-in form, or the code form', body: 'html' },
          '404': { description: 'Signed out on a tenant host whose account does not exist', body: 'html' },
          '429': { description: 'Too many requests', body: 'html' },
        },
      },
      handler: async (request, reply) => {
        const { values } = readParams(request.query, deviceQuerySchema);
        const userCode = values.user_code?.slice(0, 20);
        const signedIn = await sessions.current(request);
        if (!signedIn) return signInFirst(request, reply, userCode);
        if (signedIn.mustEnrol) return reply.redirect(SECURITY_PATH, 302);
        return codeForm(request, reply, signedIn, 200, undefined, userCode);
      },
    },
    {
      method: 'POST',
      path: DEVICE_PATH,
      ...PAGE,
      operation: {
        id: 'deviceCode',
        tag: 'Sign-in',
        summary: 'Connect a device: the code form',
        description: 'Finds the pending request the code names and shows what it asks for, with Allow and Deny. A wrong code says only that it is not valid; wrong codes wait longer each time, per address and per session.',
        body: { schema: codeFormSchema, types: ['form'] },
        security: ['session'],
        responses: {
          '200': { description: 'The confirm page: the app, the code to compare, the scopes in words', body: 'html' },
          '303': { description: 'Signed out: to the sign-in page', headers: { Location: '/login?return_to=/device' } },
          '400': { description: 'The code is not valid (unknown, expired or used): the form again', body: 'html' },
          '403': { description: 'The form expired (CSRF), or the app is limited to another account', body: 'html' },
          '429': { description: 'Too many wrong codes: the form again, with Retry-After', body: 'html' },
        },
      },
      handler: async (request, reply) => {
        const { values } = readParams(request.body, codeFormSchema);
        if (!sessions.csrfValid(request, values.csrf)) {
          return sendErrorPage(reply, 403, 'Form expired', 'This form has expired or did not come from this site. Reload the page and try again.');
        }
        const signedIn = await sessions.current(request);
        if (!signedIn) return reply.redirect(`/login?return_to=${encodeURIComponent(DEVICE_PATH)}`, 303);
        // The account's MFA policy: nothing goes on until the user has enrolled a second factor.
        if (signedIn.mustEnrol) return reply.redirect(SECURITY_PATH, 303);
        const found = await lookUp(request, reply, signedIn, values.user_code);
        if (!found || limitedToAccount(reply, found, signedIn) || (await deleteScopesRefused(reply, found, signedIn))) return reply;
        const owner = found.app.tenantId === null ? undefined : await ctx.store.tenants.byId(found.app.tenantId);
        return sendPage(
          reply,
          200,
          deviceConfirmPage({ csrf: sessions.csrfToken(request, reply), signedInAs: signedInAs(request, reply, signedIn), app: found.app, owner, tenant: signedIn.tenant, userCode: found.userCode, scopes: found.scopes }),
        );
      },
    },
    {
      method: 'POST',
      path: DEVICE_DECISION_PATH,
      ...PAGE,
      operation: {
        id: 'deviceDecision',
        tag: 'Sign-in',
        summary: 'Connect a device: Allow or Deny',
        description: 'Allow records the grant (the connections page lists it; removing it there ends the device\'s tokens) and lets the device\'s next poll collect its tokens; Deny makes it answer access_denied.',
        body: { schema: decisionFormSchema, types: ['form'] },
        security: ['session'],
        responses: {
          '200': { description: 'Done: return to your device', body: 'html' },
          '303': { description: 'Signed out: to the sign-in page', headers: { Location: '/login?return_to=/device' } },
          '400': { description: 'No decision, or the code is no longer valid', body: 'html' },
          '403': { description: 'The form expired (CSRF), or the app is limited to another account', body: 'html' },
          '429': { description: 'Too many wrong codes, with Retry-After', body: 'html' },
        },
      },
      handler: async (request, reply) => {
        const { values } = readParams(request.body, decisionFormSchema);
        if (!sessions.csrfValid(request, values.csrf)) {
          return sendErrorPage(reply, 403, 'Form expired', 'This form has expired or did not come from this site. Start again on your device.');
        }
        const signedIn = await sessions.current(request);
        if (!signedIn) return reply.redirect(`/login?return_to=${encodeURIComponent(DEVICE_PATH)}`, 303);
        // The account's MFA policy: nothing goes on until the user has enrolled a second factor.
        if (signedIn.mustEnrol) return reply.redirect(SECURITY_PATH, 303);
        if (values.decision !== 'allow' && values.decision !== 'deny') return sendErrorPage(reply, 400, 'Bad request', 'Choose Allow or Deny.');
        const found = await lookUp(request, reply, signedIn, values.user_code);
        if (!found || limitedToAccount(reply, found, signedIn) || (await deleteScopesRefused(reply, found, signedIn))) return reply;
        const audited = { tenantId: signedIn.tenant.id, userId: signedIn.user.id, appId: found.app.id, origin: requestOrigin(request) };
        const allowed = values.decision === 'allow';
        try {
          const decided = allowed ? await approveDeviceRequest(found, signedIn.user, DEVICE_CLIENT, ctx, signInSessionOf(signedIn)) : await denyDeviceRequest(found, signedIn.user, ctx);
          // Decided meanwhile (in another tab) or just expired.
          if (!decided) return codeForm(request, reply, signedIn, 400, NOT_VALID);
        } catch (error) {
          if (error instanceof OAuthError && error.code === 'access_denied') return sendErrorPage(reply, 403, 'This app is not available to you', error.description);
          throw error;
        }
        await ctx.audit?.record(allowed ? 'consent_granted' : 'consent_denied', { ...audited, detail: `device flow, scope ${quoted(found.code.scope, 400)}` });
        return sendPage(reply, 200, deviceDonePage({ signedInAs: signedInAs(request, reply, signedIn), appName: found.app.name, allowed }));
      },
    },
  ];
}
