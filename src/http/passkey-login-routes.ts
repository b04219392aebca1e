// "Sign in with a passkey" (passwordless, docs/security.md): the login page's script asks for
// options, the authenticator answers, and the answer signs the browser in as the credential's user,
// with a new session as a password sign-in gets. The challenge is bound to the browser's CSRF
// cookie (it has no session yet); failures count toward the per-address sign-in failures.
import { z } from 'zod';
import { waitInWords, type RateLimiter } from '../limits/rate-limiter.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { sha256Hex } from '../oauth/secrets.ts';
import { PasskeyError, authenticationOptions, browserBinding, passwordlessSignIn } from '../platform/passkeys/index.ts';
import { safeReturnTo } from './login-routes.ts';
import { CSRF_BODY, authenticationResponseSchema, jsonCsrf, nextSchema, readJson, refusal, sendRefusal, stringField, webauthnOptionsSchema } from './passkey-json.ts';
import { requestOrigin } from './request-origin.ts';
import type { Route } from './route.ts';
import type { SessionCookies } from './sessions.ts';

/** Same declaration as the sign-in form's: a page, counted toward the per-address page rate. */
const SIGN_IN = { surface: 'page', cors: 'none', rateLimit: 'pagesPerIp' } as const;

export const PASSKEY_LOGIN_PATHS = { options: '/login/passkey/options', verify: '/login/passkey' } as const;

const optionsBody = z.object({ csrf: CSRF_BODY }).meta({ title: 'Passkey sign-in options request' });
const verifyBody = z
  .object({
    csrf: CSRF_BODY,
    return_to: z.string().max(4096).optional().meta({ description: 'Where to go after signing in: a path on this server (anything else goes to /)' }),
    response: authenticationResponseSchema,
  })
  .meta({ title: 'Passkey sign-in' });

const CSRF_REFUSED = refusal('The CSRF token is missing or wrong');

export function passkeyLoginRoutes(ctx: OAuthContext, sessions: SessionCookies, limiter: RateLimiter): Route[] {
  /** The browser's binding: the hash of its CSRF cookie, which the CSRF check just matched. */
  const bindingOf = (csrf: string) => browserBinding(sha256Hex(csrf));
  return [
    {
      method: 'POST',
      path: PASSKEY_LOGIN_PATHS.options,
      ...SIGN_IN,
      operation: {
        id: 'passkeySignInOptions',
        tag: 'Sign-in',
        summary: 'Options for signing in with a passkey (passwordless)',
        description: 'A fresh challenge (valid 5 minutes, used once) for `navigator.credentials.get`, bound to this browser; no credentials are listed, so the authenticator offers its discoverable passkeys for this server.',
        body: { schema: optionsBody, types: ['json'] },
        responses: { '200': { description: 'The options', body: webauthnOptionsSchema }, '403': CSRF_REFUSED },
      },
      handler: async (request, reply) => {
        const csrf = jsonCsrf(request, reply, sessions);
        if (csrf === undefined) return reply;
        return reply.header('Cache-Control', 'no-store').send(await authenticationOptions(bindingOf(csrf), ctx));
      },
    },
    {
      method: 'POST',
      path: PASSKEY_LOGIN_PATHS.verify,
      ...SIGN_IN,
      operation: {
        id: 'passkeySignIn',
        tag: 'Sign-in',
        summary: 'Sign in with a passkey (passwordless)',
        description: "Checks the authenticator's answer to this browser's challenge (origin, RP id, signature, a rising signature counter); the passkey's user (on a tenant host, only that account's; never a disabled one) gets a new session, and the answer says where to go.",
        body: { schema: verifyBody, types: ['json'] },
        responses: {
          '200': { description: 'Signed in, with the session cookie: go to `redirect`', body: nextSchema },
          '400': refusal('The answer is not valid: for another or a used challenge, another origin or RP id, a replayed counter, an unknown passkey'),
          '403': refusal('The CSRF token is missing or wrong; or the passkey is for a user of another account, or a disabled one'),
          '429': refusal('Too many failed sign-ins from this address, with Retry-After'),
        },
      },
      handler: async (request, reply) => {
        const csrf = jsonCsrf(request, reply, sessions);
        if (csrf === undefined) return reply;
        const wait = await limiter.waiting('loginFailuresPerIp', request.ip);
        if (!wait.allowed) {
          reply.header('Retry-After', String(wait.retryAfterSeconds));
          return sendRefusal(reply, 429, `Too many attempts. Try again in ${waitInWords(wait.retryAfterSeconds)}.`);
        }
        const read = readJson(request, 'response', authenticationResponseSchema);
        if ('problem' in read) return sendRefusal(reply, 400, read.problem);
        const returnTo = safeReturnTo(stringField(request, 'return_to'));
        try {
          const signIn = await passwordlessSignIn({ binding: bindingOf(csrf), response: read.value as never, hostTenant: sessions.hostTenant(request), origin: requestOrigin(request) }, ctx);
          ctx.metrics?.login('success');
          await sessions.signOut(request, reply, 'replaced by a new sign-in');
          await sessions.signIn(reply, signIn.user, signIn.amr);
          return reply.header('Cache-Control', 'no-store').send({ redirect: returnTo } satisfies z.output<typeof nextSchema>);
        } catch (error) {
          if (!(error instanceof PasskeyError)) throw error;
          ctx.metrics?.login('failure');
          await limiter.failure('loginFailuresPerIp', request.ip);
          return sendRefusal(reply, error.status, error.message);
        }
      },
    },
  ];
}
