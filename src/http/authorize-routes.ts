// The authorization endpoint and its pages: client check → sign-in → validation → consent → code.
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  authorizationResponseUrl,
  checkClientAndRedirect,
  checkUserMayAuthorize,
  errorResponseUrl,
  hasConsent,
  issueAuthorizationCode,
  recordConsent,
  validateAuthorizationRequest,
  type AuthorizationRequest,
} from '../oauth/authorize.ts';
import { scopeString } from '../oauth/grant-scope.ts';
import { signInSessionOf } from '../oauth/id-token.ts';
import { quoted } from '../platform/audit.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { OAUTH_PATHS } from '../oauth/metadata.ts';
import { OAuthError } from '../oauth/errors.ts';
import { querySettling, readPrompt, type Prompt } from '../oauth/prompt.ts';
import { isHintedUser, readAuthenticationParams, readAuthorizeIdTokenHint, type AuthenticationParams } from '../oauth/authentication-params.ts';
import type { IdTokenHint } from '../oauth/id-token-hint.ts';
import type { App } from '../domain/app.ts';
import { promptNoneError, signInStep, type SignInStep } from '../oauth/sign-in-step.ts';
import { loginHintAccount, loginHintNames } from '../platform/login-hint.ts';
import type { SignedIn } from '../platform/login.ts';
import { describeClient } from '../platform/user-agent.ts';
import { consentPage } from '../pages/consent.ts';
import { SECOND_FACTOR_PATH } from '../pages/second-factor.ts';
import { secondFactorMethods } from '../platform/second-factor.ts';
import { deleteScopesNeedMfa } from '../platform/mfa-policy.ts';
import { SECURITY_PATH } from '../pages/console/security.ts';
import { asksForMfa } from '../oauth/acr.ts';
import { loginPage, unknownAccountPage } from '../pages/login.ts';
import { selectAccountPage } from '../pages/select-account.ts';
import { sendErrorPage } from './errors.ts';
import { authorizeRequestSchema, consentDecisionSchema, consentFormSchema } from './oauth-schemas.ts';
import { requestOrigin } from './request-origin.ts';
import { sendPage } from './send-page.ts';
import { readParams } from './params.ts';
import type { Route } from './route.ts';
import { noStore } from './security-headers.ts';
import type { SessionCookies } from './sessions.ts';

export const AUTHORIZE_PATH = OAUTH_PATHS.authorize;

/** For the audit log: the resources of a request for anything but the built-in API alone. */
function resourcesNamed(request: AuthorizationRequest): string {
  const parts = request.scopes.parts;
  if (parts.length === 1 && parts[0]?.resource.builtIn) return '';
  return ` for ${quoted(parts.map((part) => part.resource.identifier).join(' '), 400)}`;
}

/** The authorization request as a path on this server, for coming back to it (after switching accounts). */
function authorizationRequestPath(params: RequestParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const one of typeof value === 'string' ? [value] : (value ?? [])) query.append(name, one);
  return `${AUTHORIZE_PATH}?${query.toString()}`;
}

/** A posted form's fields as a query string, every value kept (repeated ones too). */
function formAsQuery(body: unknown): string {
  const query = new URLSearchParams();
  if (typeof body !== 'object' || body === null) return '';
  for (const [name, value] of Object.entries(body)) for (const one of Array.isArray(value) ? value : [value]) if (typeof one === 'string') query.append(name, one);
  return query.toString();
}

/** The authorization request's parameters as read: each once, but `resource` as often as it came (RFC 8707). */
type RequestParams = Record<string, string | readonly string[] | undefined>;

/** The OAuthError a step throws, or undefined when it passes. */
async function errorOf(step: () => Promise<unknown>): Promise<OAuthError | undefined> {
  try {
    await step();
    return undefined;
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
}

/** Why the sign-in form is shown again to someone signed in. */
const SIGN_IN_NOTICES: Partial<Record<Extract<SignInStep, { step: 'signIn' }>['reason'], string>> = {
  max_age: 'The app asks you to sign in again: your last sign-in was too long ago for it.',
  id_token_hint: 'The app expects another account than the one signed in here: sign in with the account you use with it.',
};

/** What the request asks of the session. Only the GET honours prompt and the hints; the consent form's post needs just a session. */
function stepFor(signedIn: SignedIn | undefined, showing: boolean, asked: { prompt: Prompt; auth: AuthenticationParams; hint?: IdTokenHint; app: App; needsSecondFactor: boolean }, ctx: OAuthContext): SignInStep {
  if (!signedIn) return { step: 'signIn', reason: 'no_session' };
  if (!showing) return { step: 'proceed' };
  const { auth, hint } = asked;
  return signInStep({
    prompt: asked.prompt,
    ...(auth.maxAge === undefined ? {} : { maxAge: auth.maxAge }),
    session: {
      ...(signedIn.signedInAt === undefined ? {} : { signedInAt: signedIn.signedInAt }),
      isHintedUser: hint === undefined || isHintedUser(hint, asked.app, signedIn.user.id, ctx),
      isLoginHintUser: auth.loginHint === undefined || loginHintNames(auth.loginHint, signedIn.user, signedIn.tenant),
      needsSecondFactor: asked.needsSecondFactor,
    },
    now: ctx.clock.now(),
  });
}

const MUST_ENROL = 'The account requires a second factor, and the user has not enrolled one yet: that needs the Security page, and prompt=none allows no page';
const DELETE_SCOPES_NEED_MFA = 'Your account requires a second factor to give an app a scope that deletes things (ending in :d), and this sign-in used none';

/** Opened in a browser: errors are pages (or redirects), never CORS, and it counts as a page view. */
const AUTHORIZE = { path: AUTHORIZE_PATH, surface: 'page', cors: 'none', rateLimit: 'pagesPerIp' } as const;

export function authorizeRoutes(ctx: OAuthContext, sessions: SessionCookies): Route[] {
  /** Whether the request asks for a second factor the session has not used, of a user who has one (acr_values is voluntary: without one, the password does). */
  async function needsStepUp(signedIn: SignedIn, auth: AuthenticationParams, claims: string | undefined): Promise<boolean> {
    if (!asksForMfa(auth.acrValues, claims) || signedIn.amr.includes('mfa')) return false;
    return (await secondFactorMethods(signedIn.user.id, ctx)).length > 0;
  }

  /**
   * Whether the scopes asked for include `:d` (delete) scopes that the user's account protects
   * with a second factor the session has not used: 'step_up' when the user has one to use, 'none_enrolled' when not.
   */
  async function deleteScopesNeedSecondFactor(signedIn: SignedIn, scope: string | undefined): Promise<false | 'step_up' | 'none_enrolled'> {
    if (signedIn.amr.includes('mfa') || !(await deleteScopesNeedMfa(signedIn.tenant.id, (scope ?? '').split(' '), ctx))) return false;
    return (await secondFactorMethods(signedIn.user.id, ctx)).length > 0 ? 'step_up' : 'none_enrolled';
  }

  /** The page a sign-in step shows: the sign-in form (prefilled as the step allows), or the account choice. */
  async function showStep(request: FastifyRequest, reply: FastifyReply, step: SignInStep, o: { appName: string; signedIn?: SignedIn; loginHint?: string }) {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const csrf = sessions.csrfToken(request, reply);
    if (step.step === 'chooseAccount' && o.signedIn) {
      const page = selectAccountPage({
        appName: o.appName,
        username: o.signedIn.user.username,
        tenant: o.signedIn.tenant,
        continueUrl: `${AUTHORIZE_PATH}?${querySettling(query, 'accountChosen')}`,
        // Signed out, the same request shows the sign-in form (prefilled from login_hint).
        signOutReturnTo: `${AUTHORIZE_PATH}?${query}`,
        csrf,
      });
      return sendPage(reply, 200, page);
    }
    if (step.step === 'secondFactor' && o.signedIn) {
      // Step-up: the code of the signed-in user, without the password again; the new session goes on with this request.
      await sessions.startSecondStep(reply, o.signedIn.user, `${AUTHORIZE_PATH}?${query}`);
      return reply.redirect(SECOND_FACTOR_PATH, 302);
    }
    const unknown = await sessions.unknownHostTenant(request);
    if (unknown !== undefined) {
      // No password for an account that does not exist: the same request on the main host instead.
      return sendPage(reply, 404, unknownAccountPage({ slug: unknown, signInUrl: `${ctx.issuer}${AUTHORIZE_PATH}?${query}`, mainHost: new URL(ctx.issuer).host }));
    }
    const hostTenant = sessions.hostTenant(request);
    const reason = step.step === 'signIn' ? step.reason : 'no_session';
    // Renewing a session: the same person, most likely. Replacing it for the hint's user: nobody known.
    const renewing = o.signedIn && (reason === 'prompt_login' || reason === 'max_age');
    const prefill = renewing
      ? { username: o.signedIn?.user.username, tenant: o.signedIn?.tenant.slug }
      : reason === 'no_session' && o.loginHint !== undefined
        ? loginHintAccount(o.loginHint, hostTenant)
        : {};
    // After this sign-in the request goes on without asking again (prompt=login, max_age, …).
    const next = querySettling(query, 'signIn');
    const page = loginPage({
      csrf,
      returnTo: next === '' ? AUTHORIZE_PATH : `${AUTHORIZE_PATH}?${next}`,
      hostTenant,
      appName: o.appName,
      ...(SIGN_IN_NOTICES[reason] === undefined ? {} : { notice: SIGN_IN_NOTICES[reason] }),
      ...prefill,
    });
    return sendPage(reply, 200, page);
  }

  /**
   * Everything up to the point where the user decides; returns undefined when a reply was sent.
   * `showing` is the GET, which honours `prompt`; the consent form's post is the user's decision
   * and only validates it again.
   */
  async function prepare(request: FastifyRequest, reply: FastifyReply, raw: unknown, showing: boolean) {
    const read = readParams(raw, authorizeRequestSchema, { lists: ['resource'] });
    const params = { ...read.values, resource: read.lists.resource ?? [] };
    const paramProblem = read.problem;
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
    const { prompt, problem: promptProblem } = readPrompt(params.prompt);
    const { auth, problem: authProblem } = readAuthenticationParams(params);
    const { hint, problem: hintProblem } = await readAuthorizeIdTokenHint(params.id_token_hint, client.app.clientId, ctx);
    const problem = paramProblem ?? promptProblem ?? authProblem ?? hintProblem;
    const redirectError = (error: OAuthError) => {
      noStore(reply);
      return reply.redirect(errorResponseUrl(client.redirectUri, error, params.state, ctx.issuer), request.method === 'GET' ? 302 : 303);
    };
    const signedIn = await sessions.current(request);
    if (signedIn?.mustEnrol) {
      // The account's MFA policy: nothing goes on until the user has enrolled a second factor.
      if (showing && prompt.has('none')) redirectError(new OAuthError('interaction_required', MUST_ENROL));
      else reply.redirect(SECURITY_PATH, request.method === 'GET' ? 302 : 303);
      return undefined;
    }
    const deleteScopesNeed = signedIn !== undefined && (await deleteScopesNeedSecondFactor(signedIn, params.scope));
    if (deleteScopesNeed === 'none_enrolled' || (deleteScopesNeed === 'step_up' && !showing)) {
      if (showing && prompt.has('none')) redirectError(new OAuthError('interaction_required', DELETE_SCOPES_NEED_MFA));
      else sendErrorPage(reply, 403, 'A second factor is needed', `${DELETE_SCOPES_NEED_MFA}.`, deleteScopesNeed === 'none_enrolled' ? 'Add an authenticator app or a passkey on the Security page of your account (/console/security), then try again.' : 'Go back to the app and start again.');
      return undefined;
    }
    const needsSecondFactor = showing && signedIn !== undefined && (deleteScopesNeed === 'step_up' || (await needsStepUp(signedIn, auth, params.claims)));
    const step = stepFor(signedIn, showing, { prompt, auth, hint, app: client.app, needsSecondFactor }, ctx);
    if (!signedIn || step.step !== 'proceed') {
      if (showing && prompt.has('none') && step.step !== 'proceed') {
        // Nothing may be shown: the request's own error if it has one, else what would have been asked.
        redirectError((await errorOf(() => validateAuthorizationRequest(params, client, ctx, problem))) ?? promptNoneError(step));
        return undefined;
      }
      await showStep(request, reply, step, { appName: client.app.name, signedIn, loginHint: auth.loginHint });
      return undefined;
    }
    try {
      const authRequest = await validateAuthorizationRequest(params, client, ctx, problem);
      checkUserMayAuthorize(client.app, signedIn.user);
      return { params, authRequest, signedIn, prompt, redirectError };
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      redirectError(error);
      return undefined;
    }
  }

  type Prepared = NonNullable<Awaited<ReturnType<typeof prepare>>>;

  async function redirectWithCode(reply: FastifyReply, { authRequest, signedIn }: Prepared, status: 302 | 303) {
    const session = signInSessionOf(signedIn);
    const code = await issueAuthorizationCode(authRequest, signedIn.user.id, ctx, session);
    // The Location carries the code: no cache may keep it.
    noStore(reply);
    return reply.redirect(authorizationResponseUrl(authRequest.redirectUri, { code, state: authRequest.state, iss: ctx.issuer }), status);
  }

  async function showConsent(request: FastifyRequest, reply: FastifyReply, { params, authRequest, signedIn }: Prepared) {
    const owner = authRequest.app.tenantId === null ? undefined : await ctx.store.tenants.byId(authRequest.app.tenantId);
    const page = consentPage({
      app: authRequest.app,
      owner,
      tenant: signedIn.tenant,
      username: signedIn.user.username,
      scopes: authRequest.scopes,
      params,
      requestPath: authorizationRequestPath(params),
      csrf: sessions.csrfToken(request, reply),
    });
    return sendPage(reply, 200, page);
  }

  return [
    {
      method: 'GET',
      ...AUTHORIZE,
      operation: {
        id: 'authorize',
        tag: 'OAuth',
        summary: 'Authorization endpoint',
        description: 'Signs the user in if needed, asks for consent, then redirects to the redirect_uri with `code`, `state` and `iss` (or `error`). Opened in a browser.',
        query: authorizeRequestSchema,
        responses: {
          '302': { description: 'To redirect_uri with code, state and iss — or error, error_description, state and iss', headers: { Location: 'The redirect' } },
          '200': { description: 'The sign-in page, the consent page, or the account choice (prompt=select_account, or a login_hint naming someone else)', body: 'html' },
          '400': { description: 'Unknown client_id, or a redirect_uri the app did not register: no safe place to redirect to', body: 'html' },
          '404': { description: 'Signed out on a tenant host whose account does not exist: a page saying so, linking to the main host', body: 'html' },
          '429': { description: 'Too many requests', body: 'html' },
        },
      },
      handler: async (request, reply) => {
        const prepared = await prepare(request, reply, request.query, true);
        if (!prepared) return reply;
        // A grant the user already gave is remembered: no consent page, unless prompt=consent asks for it.
        const remembered = !prepared.prompt.has('consent') && (await hasConsent(prepared.authRequest, prepared.signedIn.user.id, ctx));
        if (remembered) return redirectWithCode(reply, prepared, 302);
        if (prepared.prompt.has('none')) return prepared.redirectError(new OAuthError('consent_required', 'The user has not granted this app these scopes yet, and prompt=none allows no consent page'));
        return showConsent(request, reply, prepared);
      },
    },
    // The consent form posts the request back with the user's decision.
    {
      method: 'POST',
      ...AUTHORIZE,
      operation: {
        id: 'consent',
        tag: 'OAuth',
        summary: "Consent decision (the consent page's form)",
        description: 'The consent form posts the authorization request back with `decision` and its CSRF token; the request is validated again. A post without either is an authorization request sent by POST (OpenID Connect Core §3.1.2.1), answered with a redirect to the same request as a GET.',
        body: { schema: consentFormSchema, types: ['form'] },
        responses: {
          '303': { description: 'To redirect_uri with a code (allow) or error=access_denied (deny); an authorization request posted as a form (no decision, no csrf) to the same request as a GET', headers: { Location: 'The redirect' } },
          '400': { description: 'A bad request, or no decision', body: 'html' },
          '403': { description: 'The form expired or came from elsewhere (CSRF)', body: 'html' },
        },
      },
      handler: async (request, reply) => {
        const { values } = readParams(request.body, consentDecisionSchema);
        // An authorization request sent as a form POST (OpenID Connect Core §3.1.2.1): the same
        // request as a GET, where the browser sends its SameSite=Lax session even from another site.
        if (values.decision === undefined && values.csrf === undefined) {
          noStore(reply);
          return reply.redirect(`${AUTHORIZE_PATH}?${formAsQuery(request.body)}`, 303);
        }
        if (!sessions.csrfValid(request, values.csrf)) {
          return sendErrorPage(reply, 403, 'Form expired', 'This form has expired or did not come from this site. Go back to the app and start again.');
        }
        const prepared = await prepare(request, reply, request.body, false);
        if (!prepared) return reply;
        const { authRequest, signedIn } = prepared;
        const audited = { tenantId: signedIn.tenant.id, userId: signedIn.user.id, appId: authRequest.app.id, origin: requestOrigin(request) };
        if (values.decision === 'allow') {
          await recordConsent(authRequest, signedIn.user.id, describeClient(request.headers['user-agent']), ctx);
          await ctx.audit?.record('consent_granted', { ...audited, detail: `scope ${quoted(scopeString(authRequest.scopes), 400)}${resourcesNamed(authRequest)}` });
          return redirectWithCode(reply, prepared, 303);
        }
        if (values.decision === 'deny') {
          await ctx.audit?.record('consent_denied', { ...audited, detail: `scope asked ${quoted(scopeString(authRequest.scopes), 400)}${resourcesNamed(authRequest)}` });
          return prepared.redirectError(new OAuthError('access_denied', 'The user denied the request'));
        }
        return sendErrorPage(reply, 400, 'Bad request', 'Choose Allow or Cancel.');
      },
    },
  ];
}
