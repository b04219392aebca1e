// What the second step of sign-in shares, whichever factor the person used (a typed code on the
// form, or a passkey through the page's script): its messages, the wait after wrong answers, and
// the end — the pending sign-in consumed once, audited, and a new session (rotated, as every
// sign-in) that says how the user signed in.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SecondFactorMethod } from '../domain/second-factor.ts';
import { strictest, type RateLimiter } from '../limits/rate-limiter.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { finishPendingSignIn, type ResolvedPendingSignIn } from '../platform/pending-sign-in.ts';
import { requestOrigin } from './request-origin.ts';
import type { SessionCookies } from './sessions.ts';

export const STEP_EXPIRED = 'Your sign-in took too long or was already finished. Sign in again.';
export const STEP_TOO_MANY = 'Too many wrong answers. Sign in again.';

/** Each method as the audit log names it. */
export const METHOD_WORDS: Record<SecondFactorMethod, string> = { totp: 'authenticator code', passkey: 'passkey', recovery: 'recovery code' };

/** A pending sign-in of the browser, with its id (as SessionCookies.pendingSignIn returns it). */
export type LiveStep = ResolvedPendingSignIn & { id: string };

/** The wait after wrong second factors: per user and per address, the stricter of the two. */
export async function secondStepWait(limiter: RateLimiter, step: LiveStep, request: FastifyRequest) {
  return strictest(await limiter.waiting('mfaFailuresPerUser', String(step.user.id)), await limiter.waiting('mfaFailuresPerIp', request.ip));
}

/** Counts a wrong second factor toward both waits. */
export async function secondStepFailure(limiter: RateLimiter, step: LiveStep, request: FastifyRequest): Promise<void> {
  await limiter.failure('mfaFailuresPerUser', String(step.user.id));
  await limiter.failure('mfaFailuresPerIp', request.ip);
}

/**
 * Ends the second step after a right factor: takes the pending sign-in (only one request can),
 * audits, ends any session the browser had and starts a new one with `amr`. Returns where the
 * sign-in was going, or undefined when the pending sign-in was gone meanwhile (nothing started).
 */
export async function finishSecondStep(
  request: FastifyRequest,
  reply: FastifyReply,
  step: LiveStep,
  done: { method: SecondFactorMethod; amr: readonly string[] },
  deps: { ctx: OAuthContext; sessions: SessionCookies; limiter: RateLimiter },
): Promise<string | undefined> {
  const { ctx, sessions, limiter } = deps;
  const finished = await finishPendingSignIn(step.id, ctx);
  if (!finished) return undefined;
  await limiter.success('mfaFailuresPerUser', String(step.user.id));
  const audited = { tenantId: step.tenant.id, userId: step.user.id, origin: requestOrigin(request) };
  if (done.method === 'recovery') {
    const left = await ctx.store.secondFactors.recoveryCodesLeft(step.user.id);
    await ctx.audit?.record('recovery_code_used', { ...audited, detail: `${left} ${left === 1 ? 'code' : 'codes'} left` });
  }
  await ctx.audit?.record('mfa_succeeded', { ...audited, detail: METHOD_WORDS[done.method] });
  await ctx.audit?.record('login_succeeded', { ...audited, detail: `password and ${METHOD_WORDS[done.method]}` });
  sessions.forgetPendingSignIn(reply);
  await sessions.signOut(request, reply, 'replaced by a new sign-in');
  await sessions.signIn(reply, step.user, done.amr);
  return finished.returnTo;
}
