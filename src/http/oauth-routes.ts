// The token, token_info, revoke and introspection endpoints: parse → call the core → write.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimiter } from '../limits/rate-limiter.ts';
import type { ClientCredentials } from '../oauth/client-auth.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { OAuthError } from '../oauth/errors.ts';
import { feedWatchFor } from '../oauth/feed-watch.ts';
import { introspect } from '../oauth/introspect.ts';
import { readRevocationFeed } from '../oauth/revocation-feed.ts';
import { OAUTH_PATHS } from '../oauth/metadata.ts';
import { revokeToken } from '../oauth/revoke.ts';
import { GRANTS } from '../oauth/grants/index.ts';
import { handleTokenRequest } from '../oauth/token-endpoint.ts';
import { tokenInfo } from '../oauth/token-info.ts';
import { clientAuthenticated, sendJson } from './client-authenticated.ts';
import type { CredentialFields } from './client-credentials.ts';
import {
  introspectionRequestSchema,
  introspectionSchema,
  oauthErrorSchema,
  oauthErrors,
  revokeRequestSchema,
  revokeResponseSchema,
  revocationFeedRequestSchema,
  revocationFeedSchema,
  tokenInfoRequestSchema,
  tokenInfoSchema,
  tokenRequestByGrantSchema,
  tokenRequestSchema,
  tokenResponseSchema,
} from './oauth-schemas.ts';
import { introspectionExample, revokeExample, tokenExample, tokenInfoExample } from './oauth-examples.ts';
import { requireValidParams, type ParamsSchema } from './params.ts';
import { requestOrigin } from './request-origin.ts';
import type { Route } from './route.ts';

const FORM_AND_JSON: ('form' | 'json')[] = ['form', 'json'];
/** What every endpoint here shares: OAuth errors, CORS for browser apps, the API's request rate. */
const OAUTH = { surface: 'oauth', cors: 'public', rateLimit: 'apiPerIp' } as const;

export function oauthRoutes(ctx: OAuthContext, limiter: RateLimiter): Route[] {
  const authenticated = clientAuthenticated(limiter);
  /** A client-authenticated endpoint whose parameters (body or query) follow `schema`, each at most once. */
  const asClient = <K extends string>(
    request: FastifyRequest,
    reply: FastifyReply,
    schema: ParamsSchema<K>,
    work: (params: Partial<Record<K, string>>, client: ClientCredentials) => Promise<unknown>,
    from: 'body' | 'query' = 'body',
  ): Promise<FastifyReply> =>
    authenticated(request, reply, () => requireValidParams(from === 'body' ? request.body : request.query, schema) as Partial<Record<K, string>> & CredentialFields, work);

  const revoke = (id: string, path: string, note: string): Route => ({
    method: 'POST',
    path,
    ...OAUTH,
    operation: {
      id,
      tag: 'OAuth',
      summary: `Revoke a token${note}`,
      description: 'A refresh token or an access token; its whole grant (token family) ends, access tokens included. Unknown tokens are not an error (RFC 7009).',
      body: { schema: revokeRequestSchema, types: FORM_AND_JSON },
      example: revokeExample,
      responses: { '200': { description: 'Revoked (or never valid)', body: revokeResponseSchema }, ...oauthErrors() },
    },
    handler: async (request, reply) => {
      const { token } = requireValidParams(request.body, revokeRequestSchema);
      if (token === undefined) throw new OAuthError('invalid_request', 'token is required');
      await revokeToken(token, ctx, requestOrigin(request));
      return sendJson(reply, {});
    },
  });

  return [
    {
      method: 'POST',
      path: OAUTH_PATHS.token,
      ...OAUTH,
      operation: {
        id: 'token',
        tag: 'OAuth',
        summary: 'Token endpoint',
        // The grants the registry holds, each as its file titles it.
        description: `${GRANTS.map((grant) => `\`${grant.type}\` — ${grant.title}.`).join(' ')} Client credentials in HTTP Basic or the body, or a \`private_key_jwt\` client assertion (RFC 7523); an app that names its authentication method is held to it (docs/client-authentication.md); \`client_id\` also in the query string. Responses carry \`Cache-Control: no-store\`.`,
        body: { schema: tokenRequestByGrantSchema, types: FORM_AND_JSON },
        example: tokenExample,
        security: ['clientSecretBasic', 'none'],
        responses: { '200': { description: 'Tokens', body: tokenResponseSchema }, ...oauthErrors({ '401': { description: 'invalid_client', body: oauthErrorSchema } }) },
      },
      handler: (request, reply) =>
        asClient(request, reply, tokenRequestSchema, (p, client) =>
          handleTokenRequest(
            { params: p, client, origin: requestOrigin(request) },
            ctx,
          ),
        ),
    },
    {
      method: 'POST',
      path: OAUTH_PATHS.introspect,
      ...OAUTH,
      operation: {
        id: 'introspect',
        tag: 'OAuth',
        summary: 'Token introspection (RFC 7662)',
        description: "For an app with its client secret: whether one of its own access or refresh tokens is active, and what it grants. Other apps' tokens are inactive.",
        body: { schema: introspectionRequestSchema, types: FORM_AND_JSON },
        example: introspectionExample,
        security: ['clientSecretBasic'],
        responses: { '200': { description: "The token's state", body: introspectionSchema }, ...oauthErrors({ '401': { description: 'invalid_client', body: oauthErrorSchema } }) },
      },
      handler: (request, reply) => asClient(request, reply, introspectionRequestSchema, (p, client) => introspect(p.token, client, ctx)),
    },
    {
      method: 'POST',
      path: OAUTH_PATHS.tokenInfo,
      ...OAUTH,
      operation: {
        id: 'tokenInfo',
        tag: 'OAuth',
        summary: 'Access token information (ilert)',
        body: { schema: tokenInfoRequestSchema, types: FORM_AND_JSON },
        example: tokenInfoExample,
        responses: { '200': { description: 'Whether the token is active, and whose it is', body: tokenInfoSchema }, ...oauthErrors() },
      },
      handler: async (request, reply) => {
        const { token } = requireValidParams(request.body, tokenInfoRequestSchema);
        if (token === undefined) throw new OAuthError('invalid_request', 'token is required');
        return sendJson(reply, await tokenInfo(token, ctx));
      },
    },
    {
      method: 'GET',
      path: OAUTH_PATHS.revocationFeed,
      ...OAUTH,
      operation: {
        id: 'revocationFeed',
        tag: 'OAuth',
        summary: 'Revocation feed for a resource server',
        description:
          'For a resource server, with its own credentials (HTTP Basic): the token families revoked for it after `after`, so it refuses revoked tokens without asking per request. Without `after`: every revocation whose tokens may still be alive. `wait` (0–30 s) long-polls: the answer comes as soon as there is an entry. `has_more`: ask again at once. `resource_deleted`: the resource is gone, refuse every token. See docs/resources.md.',
        query: revocationFeedRequestSchema,
        security: ['clientSecretBasic'],
        responses: { '200': { description: 'Entries after the cursor, and the next cursor', body: revocationFeedSchema }, ...oauthErrors({ '401': { description: 'invalid_client', body: oauthErrorSchema } }) },
      },
      handler: (request, reply) => {
        // A client that hangs up ends its wait; so does the server closing (feedWatchFor(ctx).close()).
        const gone = new AbortController();
        // The response's 'close' comes when the connection goes before the answer (the request's
        // own 'close' only once its body was read, at once for a GET).
        reply.raw.once('close', () => gone.abort());
        return asClient(request, reply, revocationFeedRequestSchema, (p, client) => readRevocationFeed(client, p, ctx, feedWatchFor(ctx), gone.signal), 'query');
      },
    },
    // ilert's path, and the standard one (RFC 7009) that generic clients look for.
    revoke('revoke', OAUTH_PATHS.revoke, ''),
    revoke('revokeRfc7009', OAUTH_PATHS.revokeAlias, ' (RFC 7009 path)'),
  ];
}
