// The console's Security page (any signed-in user, for themselves): set up, confirm and turn off
// the authenticator app, and make new recovery codes. Post/Redirect/Get with CSRF like every
// console form; new recovery codes travel in the sealed flash, shown once.
import type { FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { strictest, waitInWords, type RateLimiter } from '../../limits/rate-limiter.ts';
import type { OAuthContext } from '../../oauth/context.ts';
import { confirmTotpEnrolment, disableTotp, regenerateRecoveryCodes, securityStatus, startTotpEnrolment } from '../../platform/second-factor.ts';
import { SECURITY_PATH, securityPage } from '../../pages/console/security.ts';
import type { FieldErrors } from '../../pages/console/parts.ts';
import type { Route } from '../route.ts';
import { sendPage } from '../send-page.ts';
import { BUTTON_FORM, consoleForm, readForm } from './forms.ts';
import type { ConsoleGuard, ConsoleUser } from './guard.ts';
import { CONSOLE, consoleAction, consoleView } from './operations.ts';

const CONFIRM_FORM = consoleForm({ code: 'A current 6-digit code of the authenticator app being set up' });
const DISABLE_FORM = consoleForm({ code: 'A current code of the authenticator app', password: 'Or the password' });
const REFUSED = { '429': { description: 'Too many wrong codes or passwords: the page again, with Retry-After', body: 'html' as const } };

export function consoleSecurityRoutes(ctx: OAuthContext, guard: ConsoleGuard, limiter: RateLimiter): Route[] {
  /** The page, as it stands now, with what the request adds (a flash, an error). */
  async function show(reply: FastifyReply, who: ConsoleUser, status: number, errors: FieldErrors = {}) {
    const { enrolment, ...status_ } = await securityStatus(who.user, who.tenant, ctx);
    const qrSvg = enrolment && (await QRCode.toString(enrolment.uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }));
    const page = securityPage({
      viewer: who.viewer,
      mustEnrol: who.mustEnrol,
      ...status_,
      ...(enrolment && qrSvg ? { enrolment: { secret: enrolment.secret, qrSvg } } : {}),
      ...(who.flash?.recoveryCodes ? { recoveryCodes: who.flash.recoveryCodes } : {}),
      ...(who.flash?.notice ? { notice: who.flash.notice } : {}),
      errors,
    });
    return sendPage(reply, status, page);
  }

  async function post(request: FastifyRequest, reply: FastifyReply, form: typeof BUTTON_FORM | typeof CONFIRM_FORM | typeof DISABLE_FORM) {
    const { values, problem } = readForm(request.body, form);
    const who = await guard.requirePost(request, reply, 'user', values.csrf);
    return { who, values: values as Record<string, string>, problem };
  }

  return [
    {
      method: 'GET',
      path: SECURITY_PATH,
      ...CONSOLE,
      operation: consoleView({ id: 'consoleSecurity', summary: 'Your second factors: the authenticator app and recovery codes', role: 'user' }),
      handler: async (request, reply) => {
        const who = await guard.require(request, reply);
        if (!who) return reply;
        return show(reply, who, 200);
      },
    },
    {
      method: 'POST',
      path: `${SECURITY_PATH}/totp`,
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleTotpStart', summary: 'Start setting up an authenticator app (a new key, on once a code confirms it; an app already on stays on until then)', role: 'user', form: BUTTON_FORM }),
      handler: async (request, reply) => {
        const { who } = await post(request, reply, BUTTON_FORM);
        if (!who) return reply;
        await startTotpEnrolment(who.user, ctx);
        return guard.done(request, reply, SECURITY_PATH, { notice: 'Add the key to your authenticator app, then enter the code it shows.' });
      },
    },
    {
      method: 'POST',
      path: `${SECURITY_PATH}/totp/confirm`,
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleTotpConfirm', summary: 'Turn the authenticator app on with a current code; answers with ten new recovery codes, shown once', role: 'user', form: CONFIRM_FORM }),
      handler: async (request, reply) => {
        const { who, values, problem } = await post(request, reply, CONFIRM_FORM);
        if (!who) return reply;
        const result = problem ? { ok: false as const, message: problem } : await confirmTotpEnrolment(who.user, values.code ?? '', who.actor, ctx);
        if (!result.ok) return show(reply, who, 400, { confirm: result.message });
        return guard.done(request, reply, SECURITY_PATH, { notice: 'Your authenticator app is on. Save your recovery codes.', recoveryCodes: result.recoveryCodes });
      },
    },
    {
      method: 'POST',
      path: `${SECURITY_PATH}/totp/disable`,
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleTotpDisable', summary: 'Turn the authenticator app off (and its recovery codes), with a current code or the password', role: 'user', form: DISABLE_FORM, answers: REFUSED }),
      handler: async (request, reply) => {
        const { who, values, problem } = await post(request, reply, DISABLE_FORM);
        if (!who) return reply;
        if (problem) return show(reply, who, 400, { disable: problem });
        const userKey = String(who.user.id);
        const wait = strictest(await limiter.waiting('mfaFailuresPerUser', userKey), await limiter.waiting('mfaFailuresPerIp', request.ip));
        if (!wait.allowed) {
          reply.header('Retry-After', String(wait.retryAfterSeconds));
          return show(reply, who, 429, { disable: `Too many attempts. Try again in ${waitInWords(wait.retryAfterSeconds)}.` });
        }
        const result = await disableTotp(who.user, who.tenant, { code: values.code ?? '', password: values.password ?? '' }, who.actor, ctx);
        if (!result.ok) {
          if (result.reason !== 'refused') {
            await limiter.failure('mfaFailuresPerUser', userKey);
            await limiter.failure('mfaFailuresPerIp', request.ip);
          }
          return show(reply, who, 400, { disable: result.message });
        }
        await limiter.success('mfaFailuresPerUser', userKey);
        return guard.done(request, reply, SECURITY_PATH, { notice: 'Your authenticator app is off. Signing in asks for your password only.' });
      },
    },
    {
      method: 'POST',
      path: `${SECURITY_PATH}/recovery-codes`,
      ...CONSOLE,
      operation: consoleAction({ id: 'consoleRecoveryCodes', summary: 'Make ten new recovery codes (the old ones stop working); shown once', role: 'user', form: BUTTON_FORM }),
      handler: async (request, reply) => {
        const { who } = await post(request, reply, BUTTON_FORM);
        if (!who) return reply;
        const codes = await regenerateRecoveryCodes(who.user, who.actor, ctx);
        if (!codes) return show(reply, who, 400, { form: 'Set up an authenticator app first: recovery codes come with it.' });
        return guard.done(request, reply, SECURITY_PATH, { notice: 'New recovery codes: the old ones no longer work.', recoveryCodes: codes });
      },
    },
  ];
}
