// Builds the HTTP application from a Config, a Store and a KeyRing. It does not listen.
import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { BODY_LIMIT, parseForm, registerBodyParsers } from './http/body.ts';
import { registerCors } from './http/cors.ts';
import { frameworkErrorHandler, registerErrorHandlers } from './http/errors.ts';
import { registerMetrics, type MetricsSetup } from './http/metrics-routes.ts';
import { registerRequestLimits } from './http/rate-limit.ts';
import { registerRequestIdHeader, requestId } from './http/request-id.ts';
import { RouteIndex } from './http/route-index.ts';
import { registerRoutes, routeTable } from './http/routes.ts';
import { feedWatchFor } from './oauth/feed-watch.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { SessionCookies } from './http/sessions.ts';
import type { KeyRing } from './keys/key-ring.ts';
import { MemoryCounters } from './limits/memory-counters.ts';
import { RateLimiter } from './limits/rate-limiter.ts';
import type { Clock } from './oauth/clock.ts';
import { createLogger, type Logger } from './ops/logger.ts';
import { oauthContext, type ContextDeps } from './platform/context.ts';
import { startLogoutDelivery, type LogoutDelivererOptions } from './platform/logout-delivery.ts';
import type { Store } from './store/store.ts';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'logLevel'> & Partial<Pick<Config, 'trustProxy' | 'cimdAllowLoopback' | 'registration' | 'registrationPurgeDays'>>;
  store: Store;
  keys: KeyRing;
  clock?: Clock;
  /** Set false in tests to keep output quiet. */
  logger?: boolean;
  /** The process's logger (src/ops/logger.ts); by default JSON lines at config.logLevel. */
  log?: Logger;
  /** Prometheus metrics and where /metrics is served (src/http/metrics-routes.ts); off when unset. */
  metrics?: MetricsSetup;
  /** Rate limits; by default per-process counters, switched on. */
  limiter?: RateLimiter;
  /** deriveTokenKey(GATEHOUSE_SECRET): every instance of one database must derive the same. */
  tokenKey: Buffer;
  /** Test seams of the client ID metadata document fetch (a resolver, a CA to trust, a timeout). */
  clientDocuments?: ContextDeps['clientDocuments'];
  /** Back-channel logout's background delivery (tests turn its timer off with intervalSeconds 0). */
  logoutDelivery?: LogoutDelivererOptions;
}

/** A hop count trusts that many proxies in front of us; a list trusts those addresses. */
function trustedProxies(setting: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (setting === undefined) return false;
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const publicUrl = new URL(deps.config.publicUrl);
  const ctx = oauthContext({ ...deps, metrics: deps.metrics?.metrics });
  const limiter = deps.limiter ?? new RateLimiter(new MemoryCounters());
  const sessions = new SessionCookies({ secure: publicUrl.protocol === 'https:', publicHostname: publicUrl.hostname }, ctx);
  const table = routeTable({ ctx, sessions, limiter, metrics: deps.metrics });
  const index = new RouteIndex(table);
  const app = Fastify({
    // Never logs query strings (codes, states) or credentials: only the path (src/ops/logger.ts).
    ...(deps.logger === false ? { logger: false } : { loggerInstance: (deps.log ?? createLogger({ logLevel: deps.config.logLevel, logFormat: 'json' })) as FastifyBaseLogger }),
    genReqId: requestId,
    bodyLimit: BODY_LIMIT,
    // The client address (rate limits, logs) comes from X-Forwarded-For only via trusted proxies.
    trustProxy: trustedProxies(deps.config.trustProxy),
    frameworkErrors: frameworkErrorHandler(index),
    routerOptions: { maxParamLength: 200, querystringParser: (text: string) => parseForm(text) },
  });

  await app.register(cookie);
  registerBodyParsers(app);
  registerRequestIdHeader(app);
  if (deps.metrics) registerMetrics(app, deps.metrics);
  registerErrorHandlers(app, index);
  registerSecurityHeaders(app, { https: publicUrl.protocol === 'https:' });
  // CORS before the rate limits, so a 429 still reaches the browser app that asked.
  registerCors(app, index);
  registerRequestLimits(app, limiter, index);
  registerRoutes(app, table, ctx);
  // Long polls of the revocation feed end at once when the app closes, instead of holding it up to 30 s.
  app.addHook('preClose', async () => feedWatchFor(ctx).close());
  // Logout tokens go out in the background of every serving process, until it closes (before its store does).
  const logoutDelivery = startLogoutDelivery(ctx, app.log, deps.logoutDelivery);
  ctx.logoutDelivery = logoutDelivery;
  app.addHook('onClose', () => logoutDelivery.stop());
  return app;
}
