// Dynamic client registration: POST /oauth2/register (RFC 7591) and the client configuration
// endpoint /oauth2/register/:clientId (RFC 7592): parse → ask the platform → write. Bodies are JSON
// (at most the server's 64 kB); answers carry Cache-Control: no-store, since they hold secrets.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../domain/app.ts';
import type { RateLimiter } from '../limits/rate-limiter.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { OAuthError } from '../oauth/errors.ts';
import { OAUTH_PATHS } from '../oauth/metadata.ts';
import { clientForRegistrationToken, clientInformation, deleteDynamicClient, registerDynamicClient, replaceDynamicClient } from '../platform/dynamic-clients.ts';
import { registrationGate, registrationOff } from '../platform/registration-gate.ts';
import { sendOAuthError } from './errors.ts';
import { oauthErrorSchema, oauthErrors } from './oauth-schemas.ts';
import { tooManyRequests } from './rate-limit.ts';
import { clientInformationSchema, clientMetadataSchema, clientUpdateSchema, registrationExample } from './registration-schemas.ts';
import { requestOrigin } from './request-origin.ts';
import type { Route } from './route.ts';
import { noStore } from './security-headers.ts';

/** What both paths share: OAuth errors, CORS for browser-based clients (MCP clients register from pages), the API's rate. */
const REGISTRATION = { surface: 'oauth', cors: 'public', rateLimit: 'apiPerIp' } as const;

/** The token of `Authorization: Bearer <token>`, or undefined. */
function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** RFC 6750 §3: a missing token gets a bare challenge, a bad one error="invalid_token". */
function sendError(reply: FastifyReply, error: unknown, hadToken: boolean): FastifyReply {
  if (!(error instanceof OAuthError)) throw error;
  if (error.code === 'invalid_token') reply.header('WWW-Authenticate', hadToken ? 'Bearer realm="gatehouse", error="invalid_token"' : 'Bearer realm="gatehouse"');
  return sendOAuthError(reply, error);
}

function requireJson(request: FastifyRequest): void {
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(request.headers['content-type'] ?? '')) {
    throw new OAuthError('invalid_client_metadata', 'Send the client metadata as a JSON object (Content-Type: application/json)');
  }
}

const send = (reply: FastifyReply, status: number, body?: unknown): FastifyReply => {
  noStore(reply);
  return body === undefined ? reply.status(status).send() : reply.status(status).type('application/json; charset=utf-8').send(body);
};

const CLIENT_PATH = { clientId: z.string().meta({ description: 'The client id the registration answered' }) };
const TOKEN_401 = { '401': { description: 'invalid_token: the registration access token is missing or wrong, or there is no such client (one answer for both), with WWW-Authenticate: Bearer', body: oauthErrorSchema } };

export function registrationRoutes(ctx: OAuthContext, limiter: RateLimiter): Route[] {
  const clientPath = `${OAUTH_PATHS.register}/:clientId`;

  /** Runs a configuration-endpoint request for the client the registration access token names. */
  const asClient = async (request: FastifyRequest, reply: FastifyReply, work: (app: App) => Promise<FastifyReply>) => {
    const token = bearerToken(request);
    try {
      const { clientId } = request.params as { clientId: string };
      return await work(await clientForRegistrationToken(clientId, token, ctx));
    } catch (error) {
      return sendError(reply, error, token !== undefined);
    }
  };

  return [
    {
      method: 'POST',
      path: OAUTH_PATHS.register,
      ...REGISTRATION,
      operation: {
        id: 'registerClient',
        tag: 'OAuth',
        summary: 'Dynamic client registration (RFC 7591)',
        description:
          'A client registers itself with its metadata (JSON). GATEHOUSE_REGISTRATION decides who may: `off` (the default) answers 403; `token` needs `Authorization: Bearer <initial access token>` from `gatehouse registration-tokens create`; `open` lets anyone, rate limited per address. The answer holds the client secret (for client_secret_basic/post) and the registration access token once. See docs/registration.md.',
        body: { schema: clientMetadataSchema, types: ['json'] },
        example: registrationExample,
        responses: {
          '201': { description: 'Registered: the client information, every field as registered', body: clientInformationSchema },
          ...oauthErrors({
            '400': { description: 'invalid_redirect_uri or invalid_client_metadata, naming the field', body: oauthErrorSchema },
            '401': { description: 'invalid_token: registration needs a (live) initial access token', body: oauthErrorSchema },
            '403': { description: 'access_denied: registration is turned off', body: oauthErrorSchema },
            '413': { description: 'The body is larger than 64 kB', body: oauthErrorSchema },
          }),
        },
      },
      handler: async (request, reply) => {
        const token = bearerToken(request);
        try {
          const gate = await registrationGate(token, ctx);
          if (ctx.registration?.policy === 'open') {
            const verdict = await limiter.request('registrationsPerIp', request.ip);
            if (!verdict.allowed) return tooManyRequests(reply, 'oauth', verdict.retryAfterSeconds);
          }
          requireJson(request);
          return send(reply, 201, await registerDynamicClient(request.body, gate, requestOrigin(request), ctx));
        } catch (error) {
          return sendError(reply, error, token !== undefined);
        }
      },
    },
    {
      method: 'GET',
      path: clientPath,
      ...REGISTRATION,
      operation: {
        id: 'readClientRegistration',
        tag: 'OAuth',
        summary: 'Read a client registration (RFC 7592)',
        description: 'With `Authorization: Bearer <registration access token>`. Secrets and tokens are not shown again: Gatehouse keeps only their hashes.',
        path: CLIENT_PATH,
        responses: { '200': { description: 'The client information', body: clientInformationSchema }, ...oauthErrors(TOKEN_401) },
      },
      handler: (request, reply) => asClient(request, reply, async (app) => send(reply, 200, clientInformation(app, ctx))),
    },
    {
      method: 'PUT',
      path: clientPath,
      ...REGISTRATION,
      operation: {
        id: 'updateClientRegistration',
        tag: 'OAuth',
        summary: 'Replace a client registration (RFC 7592)',
        description:
          'The whole metadata again, with `client_id` (and optionally the current `client_secret`): omitted fields are removed or take their defaults. Switching to a method with a secret issues one, shown in this answer. Refused (403) while registration is off.',
        path: CLIENT_PATH,
        body: { schema: clientUpdateSchema, types: ['json'] },
        responses: {
          '200': { description: 'The client information as now registered', body: clientInformationSchema },
          ...oauthErrors({ '400': { description: 'invalid_redirect_uri or invalid_client_metadata, naming the field', body: oauthErrorSchema }, ...TOKEN_401, '403': { description: 'access_denied: registration is turned off', body: oauthErrorSchema } }),
        },
      },
      handler: (request, reply) =>
        asClient(request, reply, async (app) => {
          if ((ctx.registration?.policy ?? 'off') === 'off') throw registrationOff();
          requireJson(request);
          return send(reply, 200, await replaceDynamicClient(app, request.body, requestOrigin(request), ctx));
        }),
    },
    {
      method: 'DELETE',
      path: clientPath,
      ...REGISTRATION,
      operation: {
        id: 'deleteClientRegistration',
        tag: 'OAuth',
        summary: 'Delete a client registration (RFC 7592)',
        description: 'The client is gone, and every token it was issued stops working at once. Works also while registration is off.',
        path: CLIENT_PATH,
        responses: { '204': { description: 'Deleted' }, ...oauthErrors(TOKEN_401) },
      },
      handler: (request, reply) =>
        asClient(request, reply, async (app) => {
          await deleteDynamicClient(app, requestOrigin(request), ctx);
          return send(reply, 204);
        }),
    },
  ];
}
