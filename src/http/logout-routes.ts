// OpenID Connect RP-Initiated Logout 1.0 at /oauth2/logout, GET and POST: the decision is the
// core's (oauth/end-session.ts); this reads the parameters, asks the signed-in person when the
// core says to (a form posting back here with a CSRF token), signs out through the one way a
// session ends (sessions.signOut), and sends the browser back to the registered post-logout URI
// or shows a page. A bad request is a 400 page, never a redirect.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthContext } from '../oauth/context.ts';
import { decideEndSession, type EndSessionOutcome } from '../oauth/end-session.ts';
import { OIDC_PATHS } from '../oauth/oidc-metadata.ts';
import { confirmLogoutPage, signedOutPage, type LogoutFormParams } from '../pages/logout.ts';
import { sendErrorPage } from './errors.ts';
import { paramsSchema, readParams } from './params.ts';
import type { Route, RouteMethod } from './route.ts';
import { sendPage } from './send-page.ts';
import { CSRF_FIELD, type SessionCookies } from './sessions.ts';

const LOGOUT_PARAMS = {
  id_token_hint: 'An ID token this server issued to the client (an expired one will do): whom to sign out; with it, a matching session ends without asking',
  logout_hint: 'Accepted and not used',
  client_id: 'The client asking, when there is no id_token_hint (with one, it must be the hint\'s audience)',
  post_logout_redirect_uri: "Where to send the browser afterwards: exactly one of the client's registered post-logout redirect URIs (otherwise a page says the person is signed out)",
  state: 'Returned unchanged as the state parameter of the post-logout redirect',
  ui_locales: 'Accepted; the pages are in English',
};
const logoutSchema = paramsSchema(LOGOUT_PARAMS);
const confirmSchema = paramsSchema({
  ...LOGOUT_PARAMS,
  csrf: `${CSRF_FIELD}: required with decision`,
  decision: 'The confirmation page\'s answer: sign_out, or stay (the session continues); absent: a relying party\'s logout request, as by GET',
});

const RESPONSES = {
  '200': { description: 'A page: the confirmation ("Sign out of Gatehouse?") when the request does not show it comes from the signed-in session, or "You are signed out" when there is no registered place to go back to', body: 'html' as const },
  '303': { description: 'To the registered post_logout_redirect_uri, with state', headers: { Location: "The client's post-logout redirect URI" } },
  '400': { description: 'An id_token_hint that is not ours, one for another client than client_id, or a repeated or oversized parameter: a page, never a redirect', body: 'html' as const },
};

type LogoutParams = Partial<Record<keyof typeof LOGOUT_PARAMS | 'csrf' | 'decision', string>>;

/** The parameters a confirmation form carries on. */
const formParams = (values: LogoutParams): LogoutFormParams => {
  const { csrf: _csrf, decision: _decision, ...params } = values;
  return params;
};

export function logoutRoutes(ctx: OAuthContext, sessions: SessionCookies): Route[] {
  /** Where the browser goes once the decision is carried out: the redirect, or a page. */
  function finish(reply: FastifyReply, decision: EndSessionOutcome, stillSignedIn = false): FastifyReply {
    if (decision.redirect !== undefined) return reply.redirect(decision.redirect, 303);
    return sendPage(reply, 200, signedOutPage({ appName: decision.app?.name, stillSignedIn }));
  }

  const signOut = (request: FastifyRequest, reply: FastifyReply, decision: EndSessionOutcome) =>
    sessions.signOut(request, reply, decision.app ? `signed out at the request of app ${JSON.stringify(decision.app.name)}` : 'signed out at /oauth2/logout');

  /** `answers`: whether the request may be the confirmation page's answer (POST only). */
  async function handle(request: FastifyRequest, reply: FastifyReply, raw: unknown, answers: boolean): Promise<FastifyReply> {
    const read = answers ? readParams(raw, confirmSchema) : readParams(raw, logoutSchema);
    if (read.problem) return sendErrorPage(reply, 400, 'Bad logout request', read.problem.description);
    const values: LogoutParams = read.values;
    const confirming = values.decision !== undefined;
    if (confirming && !sessions.csrfValid(request, values.csrf)) {
      return sendErrorPage(reply, 403, 'Form expired', 'This form has expired or did not come from this site. Reload the page and try again.');
    }
    if (confirming && values.decision !== 'sign_out' && values.decision !== 'stay') return sendErrorPage(reply, 400, 'Bad logout request', 'decision must be sign_out or stay');
    const signedIn = await sessions.current(request);
    const current = signedIn && { sessionIdHash: signedIn.sessionIdHash, userId: signedIn.user.id };
    const decision = await decideEndSession(
      { idTokenHint: values.id_token_hint, clientId: values.client_id, postLogoutRedirectUri: values.post_logout_redirect_uri, state: values.state, logoutHint: values.logout_hint, uiLocales: values.ui_locales },
      current,
      ctx,
    );
    if (decision.action === 'refuse') return sendErrorPage(reply, 400, 'Bad logout request', decision.message);
    if (confirming && values.decision === 'stay') return finish(reply, decision, signedIn !== undefined);
    if (decision.action === 'sign-out' || (confirming && decision.action === 'confirm')) {
      await signOut(request, reply, decision);
      return finish(reply, decision);
    }
    if (decision.action === 'confirm' && signedIn) {
      const csrf = sessions.csrfToken(request, reply);
      return sendPage(reply, 200, confirmLogoutPage({ appName: decision.app?.name, username: signedIn.user.username, tenant: signedIn.tenant, csrf, params: formParams(values) }));
    }
    // Nobody signed in: nothing to end, so nothing to ask.
    return finish(reply, decision);
  }

  const route = (method: RouteMethod): Route => ({
    method,
    path: OIDC_PATHS.endSession,
    surface: 'page',
    cors: 'none',
    rateLimit: 'pagesPerIp',
    operation: {
      id: method === 'GET' ? 'endSession' : 'endSessionPost',
      tag: 'Sign-in',
      summary: `OpenID Connect RP-initiated logout${method === 'POST' ? ' (POST: a relying party\'s form, or the confirmation page\'s answer)' : ''}`,
      description:
        'Signs the person out of Gatehouse at a relying party\'s request (RP-Initiated Logout 1.0), then sends the browser to the registered post_logout_redirect_uri with state, or shows "You are signed out". With an id_token_hint of the signed-in session (its sid, or the user\'s subject for the client) the session ends at once; otherwise the signed-in person is asked first.',
      ...(method === 'GET' ? { query: logoutSchema } : { body: { schema: confirmSchema, types: ['form'] } }),
      responses: method === 'POST' ? { ...RESPONSES, '403': { description: 'The confirmation form expired or came from elsewhere (CSRF)', body: 'html' } } : RESPONSES,
    },
    handler: (request, reply) => (method === 'GET' ? handle(request, reply, request.query, false) : handle(request, reply, request.body, true)),
  });
  return [route('GET'), route('POST')];
}
