// Rate limits at the HTTP edge: per-IP request rates on every OAuth, API and sign-in path, and
// the 429 answers, each in the shape its surface speaks (OAuth JSON, API JSON, an HTML page).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimiter, RequestRule } from '../limits/rate-limiter.ts';
import { OAuthError } from '../oauth/errors.ts';
import { sendApiError, sendErrorPage, sendOAuthError, surfaceOf } from './errors.ts';

function ruleFor(path: string): RequestRule | undefined {
  if (path.startsWith('/api/developers/oauth2/authorize') || path === '/login' || path === '/console' || path.startsWith('/console/')) return 'pagesPerIp';
  if (path.startsWith('/api/') || path.startsWith('/oauth2/')) return 'apiPerIp';
  return undefined;
}

export function tooManyRequests(request: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  const message = `Too many requests; try again in ${retryAfterSeconds} seconds`;
  reply.header('Retry-After', String(retryAfterSeconds));
  switch (surfaceOf(request)) {
    case 'oauth':
      return sendOAuthError(reply, new OAuthError('temporarily_unavailable', message, { status: 429 }));
    case 'api':
      return sendApiError(reply, 429, 'TOO_MANY_REQUESTS', message);
    case 'page':
      return sendErrorPage(reply, 429, 'Too many attempts', `Too many attempts from your network. Try again in ${retryAfterSeconds} seconds.`);
  }
}

export function registerRequestLimits(app: FastifyInstance, limiter: RateLimiter): void {
  if (!limiter.enabled) return;
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS') return;
    const rule = ruleFor(request.url.split('?', 1)[0] ?? '');
    if (!rule) return;
    const verdict = await limiter.request(rule, request.ip);
    if (!verdict.allowed) return tooManyRequests(request, reply, verdict.retryAfterSeconds);
  });
}
