// OpenID Connect UserInfo (GET and POST, Core §5.3): the bearer token only in the Authorization
// header, errors per RFC 6750 §3 (a challenge in WWW-Authenticate, the OAuth error body).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthContext } from '../oauth/context.ts';
import { OIDC_PATHS } from '../oauth/oidc-metadata.ts';
import { UserInfoError, userInfo } from '../oauth/userinfo.ts';
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
  const query = request.query as Record<string, unknown> | undefined;
  if (query && Object.hasOwn(query, 'access_token')) return new UserInfoError('invalid_request', 'Access tokens are accepted only in the Authorization header, never in the URL');
  const header = request.headers.authorization;
  if (header === undefined) return new UserInfoError(undefined, 'Missing Authorization header with a Bearer token');
  const match = /^bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? new UserInfoError('invalid_request', 'The Authorization header must be "Bearer <access token>"');
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
      description: 'The claims of the signed-in user by the access token\'s scopes: always sub and tenant; profile → name, given_name, family_name, preferred_username, locale, zoneinfo, updated_at; email → email, email_verified. The token must be for the built-in API and include openid; it is read only from the Authorization header.',
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
