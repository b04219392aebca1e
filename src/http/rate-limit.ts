// Rate limits at the HTTP edge: the per-IP request rate each route declares (route.ts), and the
// 429 answers, each in the shape its surface speaks (OAuth JSON, API JSON, an HTML page).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { waitInWords, type RateLimiter } from '../limits/rate-limiter.ts';
import { OAuthError } from '../oauth/errors.ts';
import { sendApiError, sendErrorPage, sendOAuthError } from './errors.ts';
import type { RouteIndex } from './route-index.ts';
import type { Surface } from './route.ts';

export function tooManyRequests(reply: FastifyReply, surface: Surface, retryAfterSeconds: number): FastifyReply {
  const message = `Too many requests; try again in ${waitInWords(retryAfterSeconds)}`;
  reply.header('Retry-After', String(retryAfterSeconds));
  switch (surface) {
    case 'oauth':
      return sendOAuthError(reply, new OAuthError('temporarily_unavailable', message, { status: 429 }));
    case 'api':
      return sendApiError(reply, 429, 'TOO_MANY_REQUESTS', message);
    case 'page':
      return sendErrorPage(reply, 429, 'Too many attempts', `Too many attempts from your network. Try again in ${waitInWords(retryAfterSeconds)}.`);
  }
}

export function registerRequestLimits(app: FastifyInstance, limiter: RateLimiter, index: RouteIndex): void {
  if (!limiter.enabled) return;
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS') return;
    const { rateLimit, surface } = index.governing(request);
    if (!rateLimit) return;
    const verdict = await limiter.request(rateLimit, request.ip);
    if (!verdict.allowed) return tooManyRequests(reply, surface, verdict.retryAfterSeconds);
  });
}
