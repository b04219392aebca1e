// The token, token_info, revoke and introspection endpoints: parse → call the core → write.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { strictest, type RateLimiter } from '../limits/rate-limiter.ts';
import type { ClientCredentials } from '../oauth/client-auth.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { OAuthError } from '../oauth/errors.ts';
import { introspect } from '../oauth/introspect.ts';
import { OAUTH_PATHS } from '../oauth/metadata.ts';
import { revokeToken } from '../oauth/revoke.ts';
import { handleTokenRequest } from '../oauth/token-endpoint.ts';
import { tokenInfo } from '../oauth/token-info.ts';
import { clientCredentials, usesBasic } from './client-credentials.ts';
import { sendOAuthError } from './errors.ts';
import { introspectionRequestSchema, revokeRequestSchema, tokenInfoRequestSchema, tokenRequestSchema } from './oauth-schemas.ts';
import { requireValidParams, type ParamsSchema } from './params.ts';
import { tooManyRequests } from './rate-limit.ts';
import { requestOrigin } from './request-origin.ts';
import { noStore } from './security-headers.ts';


function json(reply: FastifyReply, body: unknown): FastifyReply {
  noStore(reply);
  return reply.status(200).type('application/json; charset=utf-8').send(body);
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: OAuthContext, limiter: RateLimiter): void {
  /**
   * Runs a client-authenticated endpoint: secret guessing waits per client and per IP, failed
   * authentication counts toward those waits, and OAuth errors get their body (and Basic challenge).
   */
  async function asClient<K extends string>(
    request: FastifyRequest,
    reply: FastifyReply,
    schema: ParamsSchema<K | 'client_id' | 'client_secret'>,
    work: (params: Partial<Record<K, string>>, client: ClientCredentials) => Promise<unknown>,
  ): Promise<FastifyReply> {
    const viaBasic = usesBasic(request);
    let clientId: string | undefined;
    try {
      const params = requireValidParams(request.body, schema);
      const client = clientCredentials(request, params);
      clientId = client.clientId;
      if (client.clientSecret !== undefined) {
        const wait = strictest(await limiter.waiting('secretFailuresPerClient', clientId ?? ''), await limiter.waiting('secretFailuresPerIp', request.ip));
        if (!wait.allowed) return tooManyRequests(request, reply, wait.retryAfterSeconds);
      }
      return json(reply, await work(params, client));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.failedClientAuthentication) {
        if (clientId !== undefined) await limiter.failure('secretFailuresPerClient', clientId);
        await limiter.failure('secretFailuresPerIp', request.ip);
      }
      return sendOAuthError(reply, error, viaBasic);
    }
  }

  app.post(OAUTH_PATHS.token, (request, reply) =>
    asClient(request, reply, tokenRequestSchema, (p, client) =>
      handleTokenRequest(
        {
          grantType: p.grant_type,
          code: p.code,
          codeVerifier: p.code_verifier,
          redirectUri: p.redirect_uri,
          refreshToken: p.refresh_token,
          scope: p.scope,
          client,
          origin: requestOrigin(request),
        },
        ctx,
      ),
    ),
  );

  app.post(OAUTH_PATHS.introspect, (request, reply) => asClient(request, reply, introspectionRequestSchema, (p, client) => introspect(p.token, client, ctx)));

  app.post(OAUTH_PATHS.tokenInfo, async (request, reply) => {
    const { token } = requireValidParams(request.body, tokenInfoRequestSchema);
    if (token === undefined) throw new OAuthError('invalid_request', 'token is required');
    return json(reply, await tokenInfo(token, ctx));
  });

  // ilert's path, and the standard one (RFC 7009) that generic clients look for.
  for (const path of [OAUTH_PATHS.revoke, OAUTH_PATHS.revokeAlias]) {
    app.post(path, async (request, reply) => {
      const { token } = requireValidParams(request.body, revokeRequestSchema);
      if (token === undefined) throw new OAuthError('invalid_request', 'token is required');
      await revokeToken(token, ctx, requestOrigin(request));
      return json(reply, {});
    });
  }
}
