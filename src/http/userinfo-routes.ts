// OpenID Connect UserInfo (GET and POST, Core §5.3): the bearer token only in the Authorization
// header, errors per RFC 6750 §3 (a challenge in WWW-Authenticate, the OAuth error body).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthContext } from '../oauth/context.ts';
import { OIDC_PATHS } from '../oauth/oidc-metadata.ts';
import { UserInfoError, userInfo } from '../oauth/userinfo.ts';
import { readBearer } from './bearer-header.ts';
import { sendOAuthError } from './errors.ts';
import { oauthErrorSchema } from './oauth-schemas.ts';
import { userInfoSchema } from './oidc-schemas.ts';
import type { Route, RouteMethod } from './route.ts';
import { noStore } from './security-headers.ts';

const REALM = 'Bearer realm="gatehouse"';

function challenge(reply: FastifyReply, error: UserInfoError): FastifyReply {
  const value = error.bearerError === undefined ? REALM : `${REALM}, error="${error.bearerError}", error_description="${error.description.replace(/["\\]/g, "'")}"${error.bearerError === 'insufficient_scope' ? ', scope="openid"' : ''}`;
  reply.header('WWW-Authenticate', value);
  return sendOAuthError(reply, error);
}

/** The token of `Authorization: Bearer …` (scheme case-insensitive), or the error to answer with. */
function bearerToken(request: FastifyRequest): string | UserInfoError {
  const bearer = readBearer(request);
  return 'token' in bearer ? bearer.token : new UserInfoError(bearer.error, bearer.message);
}

export function userInfoRoutes(ctx: OAuthContext): Route[] {
  const route = (method: RouteMethod): Route => ({
    method,
    path: OIDC_PATHS.userinfo,
    surface: 'oauth',
    cors: 'public',
    rateLimit: 'apiPerIp',
    operation: {
      id: method === 'GET' ? 'userinfo' : 'userinfoPost',
      tag: 'OAuth',
      summary: `OpenID Connect UserInfo${method === 'POST' ? ' (POST)' : ''}`,
      description: 'The claims of the signed-in user by the access token\'s scopes: always sub and tenant; profile → name, given_name, family_name, preferred_username, picture (when set), locale, zoneinfo, updated_at; email → email, email_verified; phone → phone_number, phone_number_verified (when the user has a number); plus the claims the authorization request named in its claims parameter (userinfo member). sub is the ID token\'s (pairwise for a pairwise app). The token must be for the built-in API and include openid; it is read only from the Authorization header.',
      security: [{ scopes: ['openid'] }],
      responses: {
        '200': { description: "The user's claims", body: userInfoSchema },
        '400': { description: 'invalid_request: the token was not in the Authorization header', body: oauthErrorSchema },
        '401': { description: 'invalid_token (or no token), with WWW-Authenticate', body: oauthErrorSchema },
        '403': { description: 'insufficient_scope: the token lacks openid', body: oauthErrorSchema },
      },
    },
    handler: async (request, reply) => {
      const token = bearerToken(request);
      if (token instanceof UserInfoError) return challenge(reply, token);
      try {
        const claims = await userInfo(token, ctx);
        noStore(reply);
        return reply.type('application/json; charset=utf-8').send(claims);
      } catch (error) {
        if (error instanceof UserInfoError) return challenge(reply, error);
        throw error;
      }
    },
  });
  return [route('GET'), route('POST')];
}
