// Running an endpoint where clients authenticate (token, introspection, revocation feed, device
// authorization): secret and assertion guessing waits per client and per address, failed
// authentication counts toward those waits, and OAuth errors get their body (and, after HTTP
// Basic, their challenge). The answer is JSON that no cache keeps.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { strictest, type RateLimiter } from '../limits/rate-limiter.ts';
import type { ClientCredentials } from '../oauth/client-auth.ts';
import { OAuthError } from '../oauth/errors.ts';
import { clientCredentials, usesBasic, type CredentialFields } from './client-credentials.ts';
import { sendOAuthError } from './errors.ts';
import { tooManyRequests } from './rate-limit.ts';
import { noStore } from './security-headers.ts';

export function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  noStore(reply);
  return reply.status(200).type('application/json; charset=utf-8').send(body);
}

/**
 * A runner for client-authenticated requests: `read` parses the request (throwing OAuthErrors for
 * bad input), `work` acts for the client it names.
 */
export function clientAuthenticated(limiter: RateLimiter) {
  return async function run<P extends CredentialFields>(
    request: FastifyRequest,
    reply: FastifyReply,
    read: () => P,
    work: (params: P, client: ClientCredentials) => Promise<unknown>,
  ): Promise<FastifyReply> {
    const viaBasic = usesBasic(request);
    let clientId: string | undefined;
    try {
      const params = read();
      const client = clientCredentials(request, params);
      clientId = client.clientId;
      if (client.clientSecret !== undefined || client.clientAssertion !== undefined) {
        const wait = strictest(await limiter.waiting('secretFailuresPerClient', clientId ?? ''), await limiter.waiting('secretFailuresPerIp', request.ip));
        if (!wait.allowed) return tooManyRequests(reply, 'oauth', wait.retryAfterSeconds);
      }
      return sendJson(reply, await work(params, client));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.failedClientAuthentication) {
        if (clientId !== undefined) await limiter.failure('secretFailuresPerClient', clientId);
        await limiter.failure('secretFailuresPerIp', request.ip);
      }
      return sendOAuthError(reply, error, viaBasic);
    }
  };
}
