// A passkey as the second step of sign-in (docs/security.md): the second-factor page's script asks
// for options, the authenticator answers, and a right answer ends the step as a right code does
// (second-step.ts). The challenge lists only the pending user's passkeys and is bound to the
// pending sign-in (the hash of its cookie), so it answers for no other sign-in; wrong answers count
// toward the same waits and attempts as wrong codes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { waitInWords, type RateLimiter } from '../limits/rate-limiter.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { pendingFailure } from '../platform/pending-sign-in.ts';
import { PasskeyError, authenticationOptions, pendingSignInBinding, verifyPasskeySecondFactor } from '../platform/passkeys/index.ts';
import { secondFactorMethods } from '../platform/second-factor.ts';
import { SECOND_FACTOR_PASSKEY_PATHS } from '../pages/second-factor.ts';
import { CSRF_BODY, authenticationResponseSchema, jsonCsrf, nextSchema, readJson, refusal, sendRefusal, webauthnOptionsSchema } from './passkey-json.ts';
import { requestOrigin } from './request-origin.ts';
import type { Route } from './route.ts';
import { STEP_EXPIRED, STEP_TOO_MANY, finishSecondStep, secondStepFailure, secondStepWait, type LiveStep } from './second-step.ts';
import type { SessionCookies } from './sessions.ts';

const STEP = { surface: 'page', cors: 'none', rateLimit: 'pagesPerIp' } as const;

const optionsBody = z.object({ csrf: CSRF_BODY }).meta({ title: 'Passkey second factor options request' });
const verifyBody = z.object({ csrf: CSRF_BODY, response: authenticationResponseSchema }).meta({ title: 'Passkey second factor' });

const NO_STEP = refusal('No live pending sign-in (expired, used, had too many wrong answers, or none): sign in again');
const CSRF_REFUSED = refusal('The CSRF token is missing or wrong');

export function secondFactorPasskeyRoutes(ctx: OAuthContext, sessions: SessionCookies, limiter: RateLimiter): Route[] {
  /** The browser's pending sign-in of a user with a passkey, after the CSRF check; otherwise a refusal was sent. */
  async function passkeyStep(request: FastifyRequest, reply: FastifyReply): Promise<LiveStep | undefined> {
    if (jsonCsrf(request, reply, sessions) === undefined) return undefined;
    const step = await sessions.pendingSignIn(request);
    if (!step) return void sendRefusal(reply, 401, STEP_EXPIRED);
    if (!(await secondFactorMethods(step.user.id, ctx)).includes('passkey')) return void sendRefusal(reply, 400, 'You have no passkey. Use another way to sign in.');
    return step;
  }

  /** A refused answer: counted like a wrong code; after too many the pending sign-in is gone. */
  async function refused(request: FastifyRequest, reply: FastifyReply, step: LiveStep, error: PasskeyError) {
    await secondStepFailure(limiter, step, request);
    if (await pendingFailure(step.id, ctx)) return sendRefusal(reply, error.status, error.message);
    sessions.forgetPendingSignIn(reply);
    return sendRefusal(reply, 401, STEP_TOO_MANY);
  }

  return [
    {
      method: 'POST',
      path: SECOND_FACTOR_PASSKEY_PATHS.options,
      ...STEP,
      operation: {
        id: 'secondFactorPasskeyOptions',
        tag: 'Sign-in',
        summary: 'Options for using a passkey as the second step of sign-in',
        description: "A fresh challenge (valid 5 minutes, used once) for `navigator.credentials.get`, listing the pending user's passkeys and bound to this browser's pending sign-in.",
        body: { schema: optionsBody, types: ['json'] },
        responses: { '200': { description: 'The options', body: webauthnOptionsSchema }, '400': refusal('The pending user has no passkey'), '401': NO_STEP, '403': CSRF_REFUSED },
      },
      handler: async (request, reply) => {
        const step = await passkeyStep(request, reply);
        if (!step) return reply;
        return reply.header('Cache-Control', 'no-store').send(await authenticationOptions(pendingSignInBinding(step.pending.idHash), ctx, step.user));
      },
    },
    {
      method: 'POST',
      path: SECOND_FACTOR_PASSKEY_PATHS.verify,
      ...STEP,
      operation: {
        id: 'secondFactorPasskey',
        tag: 'Sign-in',
        summary: 'The second step of sign-in with a passkey',
        description: "Checks the authenticator's answer to this pending sign-in's challenge (one of the pending user's passkeys; origin, RP id, signature, a rising signature counter); a right one ends any session the browser had, starts a new one and says where to go.",
        body: { schema: verifyBody, types: ['json'] },
        responses: {
          '200': { description: 'Signed in, with the session cookie: go to `redirect`', body: nextSchema },
          '400': refusal("The answer is not valid: for another or a used challenge, another user's passkey, another origin or RP id, a replayed counter"),
          '401': NO_STEP,
          '403': CSRF_REFUSED,
          '429': refusal('Too many wrong second factors for this user or from this address, with Retry-After'),
        },
      },
      handler: async (request, reply) => {
        const step = await passkeyStep(request, reply);
        if (!step) return reply;
        const wait = await secondStepWait(limiter, step, request);
        if (!wait.allowed) {
          reply.header('Retry-After', String(wait.retryAfterSeconds));
          return sendRefusal(reply, 429, `Too many attempts. Try again in ${waitInWords(wait.retryAfterSeconds)}.`);
        }
        const read = readJson(request, 'response', authenticationResponseSchema);
        if ('problem' in read) return sendRefusal(reply, 400, read.problem);
        const assertion = { binding: pendingSignInBinding(step.pending.idHash), response: read.value as never, hostTenant: sessions.hostTenant(request), origin: requestOrigin(request) };
        const verified = await verifyPasskeySecondFactor(step.user, assertion, ctx).catch((error: unknown) => {
          if (error instanceof PasskeyError) return error;
          throw error;
        });
        if (verified instanceof PasskeyError) return refused(request, reply, step, verified);
        const returnTo = await finishSecondStep(request, reply, step, { method: 'passkey', amr: verified.amr }, { ctx, sessions, limiter });
        if (returnTo === undefined) return sendRefusal(reply, 401, STEP_EXPIRED);
        return reply.header('Cache-Control', 'no-store').send({ redirect: returnTo } satisfies z.output<typeof nextSchema>);
      },
    },
  ];
}
