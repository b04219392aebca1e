// The authorization endpoint and its pages: client check → sign-in → validation → consent → code.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  authorizationResponseUrl,
  checkClientAndRedirect,
  checkUserMayAuthorize,
  errorResponseUrl,
  hasConsent,
  issueAuthorizationCode,
  recordConsent,
  validateAuthorizationRequest,
} from '../oauth/authorize.ts';
import { quoted } from '../oauth/audit.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { OAUTH_PATHS } from '../oauth/metadata.ts';
import { OAuthError } from '../oauth/errors.ts';
import { describeClient } from '../oauth/user-agent.ts';
import { consentPage } from '../pages/consent.ts';
import { loginPage } from '../pages/login.ts';
import { sendErrorPage } from './errors.ts';
import { authorizeRequestSchema, consentDecisionSchema } from './oauth-schemas.ts';
import { requestOrigin } from './request-origin.ts';
import { sendPage } from './send-page.ts';
import { readParams } from './params.ts';
import { noStore } from './security-headers.ts';
import type { SessionCookies } from './sessions.ts';

export const AUTHORIZE_PATH = OAUTH_PATHS.authorize;

export function registerAuthorizeRoutes(app: FastifyInstance, ctx: OAuthContext, sessions: SessionCookies): void {
  /** Everything up to the point where the user decides; returns undefined when a reply was sent. */
  async function prepare(request: FastifyRequest, reply: FastifyReply, raw: unknown) {
    const { values: params, problem } = readParams(raw, authorizeRequestSchema);
    const client = await checkClientAndRedirect(params, ctx);
    if (!client.ok) {
      sendErrorPage(
        reply,
        400,
        'This app cannot sign you in',
        client.reason,
        "If you came here from an app, tell its developer: the app's settings and its sign-in link do not match.",
      );
      return undefined;
    }
    const signedIn = await sessions.current(request);
    if (!signedIn) {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      sendPage(
        reply,
        200,
        loginPage({
          csrf: sessions.csrfToken(request, reply),
          returnTo: `${AUTHORIZE_PATH}${query}`,
          hostTenant: sessions.hostTenant(request),
          appName: client.app.name,
        }),
      );
      return undefined;
    }
    const redirectError = (error: OAuthError) => {
      noStore(reply);
      return reply.redirect(errorResponseUrl(client.redirectUri, error, params.state, ctx.issuer), request.method === 'GET' ? 302 : 303);
    };
    try {
      const authRequest = validateAuthorizationRequest(params, client, problem);
      checkUserMayAuthorize(client.app, signedIn.user);
      return { params, authRequest, signedIn, redirectError };
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      redirectError(error);
      return undefined;
    }
  }

  type Prepared = NonNullable<Awaited<ReturnType<typeof prepare>>>;

  async function redirectWithCode(reply: FastifyReply, { authRequest, signedIn }: Prepared, status: 302 | 303) {
    const code = await issueAuthorizationCode(authRequest, signedIn.user.id, ctx);
    // The Location carries the code: no cache may keep it.
    noStore(reply);
    return reply.redirect(authorizationResponseUrl(authRequest.redirectUri, { code, state: authRequest.state, iss: ctx.issuer }), status);
  }

  async function showConsent(request: FastifyRequest, reply: FastifyReply, { params, authRequest, signedIn }: Prepared) {
    const owner = await ctx.store.tenants.byId(authRequest.app.tenantId);
    const page = consentPage({
      app: authRequest.app,
      owner,
      tenant: signedIn.tenant,
      username: signedIn.user.username,
      scopes: authRequest.scopes,
      params: { ...params },
      csrf: sessions.csrfToken(request, reply),
    });
    return sendPage(reply, 200, page);
  }

  app.get(AUTHORIZE_PATH, async (request, reply) => {
    const prepared = await prepare(request, reply, request.query);
    if (!prepared) return reply;
    if (await hasConsent(prepared.authRequest, prepared.signedIn.user.id, ctx)) return redirectWithCode(reply, prepared, 302);
    return showConsent(request, reply, prepared);
  });

  // The consent form posts the request back with the user's decision.
  app.post(AUTHORIZE_PATH, async (request, reply) => {
    const { values } = readParams(request.body, consentDecisionSchema);
    if (!sessions.csrfValid(request, values.csrf)) {
      return sendErrorPage(reply, 403, 'Form expired', 'This form has expired or did not come from this site. Go back to the app and start again.');
    }
    const prepared = await prepare(request, reply, request.body);
    if (!prepared) return reply;
    const { authRequest, signedIn } = prepared;
    const audited = { tenantId: signedIn.tenant.id, userId: signedIn.user.id, appId: authRequest.app.id, origin: requestOrigin(request) };
    if (values.decision === 'allow') {
      await recordConsent(authRequest, signedIn.user.id, describeClient(request.headers['user-agent']), ctx);
      await ctx.audit?.record('consent_granted', { ...audited, detail: `scope ${quoted(authRequest.scopes.toString(), 400)}` });
      return redirectWithCode(reply, prepared, 303);
    }
    if (values.decision === 'deny') {
      await ctx.audit?.record('consent_denied', { ...audited, detail: `scope asked ${quoted(authRequest.scopes.toString(), 400)}` });
      return prepared.redirectError(new OAuthError('access_denied', 'The user denied the request'));
    }
    return sendErrorPage(reply, 400, 'Bad request', 'Choose Allow or Cancel.');
  });
}
