// The token, token_info and revoke endpoints: parse → call the core → write the answer.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { strictest, type RateLimiter } from '../limits/rate-limiter.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { OAuthError } from '../oauth/errors.ts';
import { revokeToken } from '../oauth/revoke.ts';
import { handleTokenRequest } from '../oauth/token-endpoint.ts';
import { tokenInfo } from '../oauth/token-info.ts';
import { clientCredentials, usesBasic } from './client-credentials.ts';
import { sendOAuthError } from './errors.ts';
import { requestOrigin } from './request-origin.ts';
import { tooManyRequests } from './rate-limit.ts';
import { requireValidParams } from './params.ts';
import { noStore } from './security-headers.ts';

const TOKEN_PARAMS = ['grant_type', 'code', 'code_verifier', 'redirect_uri', 'refresh_token', 'scope', 'client_id', 'client_secret'] as const;

const PREFIXES = ['/api/developers/oauth2'];

async function recordClientFailure(limiter: RateLimiter, clientId: string | undefined, ip: string): Promise<void> {
  if (clientId !== undefined) await limiter.failure('secretFailuresPerClient', clientId);
  await limiter.failure('secretFailuresPerIp', ip);
}

function json(reply: FastifyReply, body: unknown): FastifyReply {
  noStore(reply);
  return reply.status(200).type('application/json; charset=utf-8').send(body);
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: OAuthContext, limiter: RateLimiter): void {
  for (const prefix of PREFIXES) {
    app.post(`${prefix}/token`, async (request, reply) => {
      const viaBasic = usesBasic(request);
      let clientId: string | undefined;
      try {
        const p = requireValidParams(request.body, TOKEN_PARAMS);
        const client = clientCredentials(request, p);
        clientId = client.clientId;
        // Secret guessing slows down per client and per IP; other requests are not held up.
        if (client.clientSecret !== undefined) {
          const wait = strictest(
            await limiter.waiting('secretFailuresPerClient', clientId ?? ''),
            await limiter.waiting('secretFailuresPerIp', request.ip),
          );
          if (!wait.allowed) return tooManyRequests(request, reply, wait.retryAfterSeconds);
        }
        const response = await handleTokenRequest(
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
        );
        return json(reply, response);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        if (error.failedClientAuthentication) await recordClientFailure(limiter, clientId, request.ip);
        return sendOAuthError(reply, error, viaBasic);
      }
    });

    app.post(`${prefix}/token_info`, async (request, reply) => {
      const { token } = requireValidParams(request.body, ['token'] as const);
      if (token === undefined) throw new OAuthError('invalid_request', 'token is required');
      return json(reply, await tokenInfo(token, ctx));
    });

    app.post(`${prefix}/revoke`, async (request, reply) => {
      const { token } = requireValidParams(request.body, ['token', 'token_type_hint'] as const);
      if (token === undefined) throw new OAuthError('invalid_request', 'token is required');
      await revokeToken(token, ctx, requestOrigin(request));
      return json(reply, {});
    });
  }
}
