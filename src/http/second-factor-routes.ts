// The second step of sign-in (issue 18): after a correct password for a user with a second factor
// (or a step-up the app asked for), one page per method; a right code starts the session, rotated
// as any sign-in is, and goes on to where the sign-in was for. A passkey answers through
// second-factor-passkey-routes.ts and ends the same way (second-step.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CodeMethod, SecondFactorMethod } from '../domain/second-factor.ts';
import { waitInWords, type RateLimiter } from '../limits/rate-limiter.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { pendingFailure, type ResolvedPendingSignIn } from '../platform/pending-sign-in.ts';
import { AMR_BY_METHOD, checkSecondFactor, secondFactorMethods } from '../platform/second-factor.ts';
import { loginPage } from '../pages/login.ts';
import { SECOND_FACTOR_PATH, secondFactorPage } from '../pages/second-factor.ts';
import { sendErrorPage } from './errors.ts';
import { safeReturnTo } from './login-routes.ts';
import { paramsSchema, readParams } from './params.ts';
import { requestOrigin } from './request-origin.ts';
import type { Route } from './route.ts';
import { METHOD_WORDS, STEP_EXPIRED, STEP_TOO_MANY, finishSecondStep, secondStepFailure, secondStepWait } from './second-step.ts';
import { sendPage } from './send-page.ts';
import { CSRF_FIELD, type SessionCookies } from './sessions.ts';

const STEP = { surface: 'page', cors: 'none', rateLimit: 'pagesPerIp' } as const;
const METHOD = 'totp (the authenticator app\'s code, the default), passkey (the page of the passkey\'s button; the passkey itself answers at /login/second-factor/passkey) or recovery (a recovery code)';
const pageQuerySchema = paramsSchema({ method: METHOD });
const codeFormSchema = paramsSchema({
  csrf: CSRF_FIELD,
  method: METHOD,
  code: 'The 6-digit code, or a recovery code',
  return_to: 'Where the sign-in was going (used only to start again when the step has expired)',
}, ['csrf']);

/** The method asked for, if the user has it; else the first they have. */
function chosenMethod<M extends SecondFactorMethod>(asked: string | undefined, methods: readonly M[]): M | undefined {
  return methods.find((method) => method === asked) ?? methods[0];
}

export function secondFactorRoutes(ctx: OAuthContext, sessions: SessionCookies, limiter: RateLimiter): Route[] {
  /** Back to the password form, the second step gone. */
  function startAgain(request: FastifyRequest, reply: FastifyReply, status: number, returnTo: string, error: string) {
    sessions.forgetPendingSignIn(reply);
    return sendPage(reply, status, loginPage({ csrf: sessions.csrfToken(request, reply), returnTo, hostTenant: sessions.hostTenant(request), error }));
  }

  async function codePage(request: FastifyRequest, reply: FastifyReply, status: number, step: ResolvedPendingSignIn, method: SecondFactorMethod, error?: string) {
    const methods = await secondFactorMethods(step.user.id, ctx);
    return sendPage(reply, status, secondFactorPage({ csrf: sessions.csrfToken(request, reply), method, methods, returnTo: step.pending.returnTo, username: step.user.username, ...(error ? { error } : {}) }));
  }

  return [
    {
      method: 'GET',
      path: SECOND_FACTOR_PATH,
      ...STEP,
      operation: {
        id: 'secondFactorPage',
        tag: 'Sign-in',
        summary: 'The second step of sign-in: the code page',
        query: pageQuerySchema,
        responses: {
          '200': { description: 'The code form (or, with no live pending sign-in, the sign-in form saying so)', body: 'html' },
        },
      },
      handler: async (request, reply) => {
        const { values } = readParams(request.query, pageQuerySchema);
        const step = await sessions.pendingSignIn(request);
        if (!step) return startAgain(request, reply, 200, '/', STEP_EXPIRED);
        const method = chosenMethod(values.method, await secondFactorMethods(step.user.id, ctx));
        if (!method) return startAgain(request, reply, 200, step.pending.returnTo, STEP_EXPIRED);
        return codePage(request, reply, 200, step, method);
      },
    },
    {
      method: 'POST',
      path: SECOND_FACTOR_PATH,
      ...STEP,
      operation: {
        id: 'secondFactor',
        tag: 'Sign-in',
        summary: 'The second step of sign-in: a code from the authenticator app, or a recovery code',
        description: 'Checks the code (each TOTP step and each recovery code works once; failures wait longer each time, per user and per address); a right one starts the session and goes on to where the sign-in was for.',
        body: { schema: codeFormSchema, types: ['form'] },
        responses: {
          '303': { description: 'Signed in: to where the sign-in was for, with the session cookie', headers: { Location: 'A path on this server' } },
          '401': { description: 'The code is not right (the page again), or the pending sign-in expired, was used or had too many wrong codes (the sign-in form again)', body: 'html' },
          '400': { description: 'A code from a user who has only passkeys: their passkey page, saying so', body: 'html' },
          '403': { description: 'The form expired or came from elsewhere (CSRF)', body: 'html' },
          '429': { description: 'Too many wrong codes: the page again, with Retry-After', body: 'html' },
        },
      },
      handler: async (request, reply) => {
        const { values } = readParams(request.body, codeFormSchema);
        if (!sessions.csrfValid(request, values.csrf)) {
          return sendErrorPage(reply, 403, 'Form expired', 'This form has expired or did not come from this site. Reload the page and try again.');
        }
        const step = await sessions.pendingSignIn(request);
        const methods = step ? await secondFactorMethods(step.user.id, ctx) : [];
        if (!step || methods.length === 0) return startAgain(request, reply, 401, safeReturnTo(values.return_to), STEP_EXPIRED);
        const method = chosenMethod(values.method, methods.filter((m): m is CodeMethod => m !== 'passkey'));
        // A user with only passkeys has no code to type: their page again, saying so.
        if (!method) return codePage(request, reply, 400, step, 'passkey', 'Use your passkey: press "Use a passkey".');
        const wait = await secondStepWait(limiter, step, request);
        if (!wait.allowed) {
          reply.header('Retry-After', String(wait.retryAfterSeconds));
          return codePage(request, reply, 429, step, method, `Too many attempts. Try again in ${waitInWords(wait.retryAfterSeconds)}.`);
        }
        const check = await checkSecondFactor(method, step.user.id, values.code ?? '', ctx);
        if (!check.ok) {
          await secondStepFailure(limiter, step, request);
          await ctx.audit?.record('mfa_failed', { tenantId: step.tenant.id, userId: step.user.id, origin: requestOrigin(request), detail: `${METHOD_WORDS[method]}: ${check.reason}` });
          if (!(await pendingFailure(step.id, ctx))) return startAgain(request, reply, 401, step.pending.returnTo, STEP_TOO_MANY);
          return codePage(request, reply, 401, step, method, check.message);
        }
        const returnTo = await finishSecondStep(request, reply, step, { method, amr: AMR_BY_METHOD[method] }, { ctx, sessions, limiter });
        if (returnTo === undefined) return startAgain(request, reply, 401, step.pending.returnTo, STEP_EXPIRED);
        return reply.redirect(returnTo, 303);
      },
    },
  ];
}
