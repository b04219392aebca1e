// Builds the HTTP application from a Config, a Store and a KeyRing. It does not listen.
import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerAlertSourceRoutes } from './api/alert-sources.ts';
import { registerUserRoutes } from './api/users.ts';
import type { Config } from './config.ts';
import { registerAuthorizeRoutes } from './http/authorize-routes.ts';
import { BODY_LIMIT, parseForm, registerBodyParsers } from './http/body.ts';
import { registerConsoleRoutes } from './http/console-routes.ts';
import { registerCors } from './http/cors.ts';
import { registerErrorHandlers, sendFrameworkError } from './http/errors.ts';
import { registerLoginRoutes } from './http/login-routes.ts';
import { registerMetaRoutes } from './http/meta-routes.ts';
import { registerOAuthRoutes } from './http/oauth-routes.ts';
import { registerRequestLimits } from './http/rate-limit.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { SessionCookies } from './http/sessions.ts';
import type { KeyRing } from './keys/key-ring.ts';
import { MemoryCounters } from './limits/memory-counters.ts';
import { RateLimiter } from './limits/rate-limiter.ts';
import { Audit } from './oauth/audit.ts';
import { systemClock, type Clock } from './oauth/clock.ts';
import { ILERT_LIFETIMES, type OAuthContext } from './oauth/context.ts';
import { createLogger, registerRequestIdHeader, requestId, type Logger } from './ops/logger.ts';
import { registerMetrics, type MetricsSetup } from './ops/metrics-routes.ts';
import { registerApiDocs } from './ops/docs-routes.ts';
import type { Store } from './store/types.ts';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'logLevel'> & Partial<Pick<Config, 'trustProxy'>>;
  store: Store;
  keys: KeyRing;
  clock?: Clock;
  /** Set false in tests to keep output quiet. */
  logger?: boolean;
  /** The process's logger (src/ops/logger.ts); by default JSON lines at config.logLevel. */
  log?: Logger;
  /** Prometheus metrics and where /metrics is served (src/ops/metrics-routes.ts); off when unset. */
  metrics?: MetricsSetup;
  /** Rate limits; by default per-process counters, switched on. */
  limiter?: RateLimiter;
  /** deriveTokenKey(GATEHOUSE_SECRET): every instance of one database must derive the same. */
  tokenKey: Buffer;
}

export function oauthContext(deps: AppDeps): OAuthContext {
  const clock = deps.clock ?? systemClock;
  return {
    store: deps.store,
    keys: deps.keys,
    clock,
    issuer: deps.config.publicUrl,
    audience: `${deps.config.publicUrl}/api`,
    lifetimes: ILERT_LIFETIMES,
    maxRefreshTokensPerAppUser: 10,
    tokenKey: deps.tokenKey,
    audit: new Audit(deps.store, clock),
    metrics: deps.metrics?.metrics,
  };
}

/** A hop count trusts that many proxies in front of us; a list trusts those addresses. */
function trustedProxies(setting: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (setting === undefined) return false;
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const publicUrl = new URL(deps.config.publicUrl);
  const app = Fastify({
    // Never logs query strings (codes, states) or credentials: only the path (src/ops/logger.ts).
    ...(deps.logger === false ? { logger: false } : { loggerInstance: (deps.log ?? createLogger({ logLevel: deps.config.logLevel, logFormat: 'json' })) as FastifyBaseLogger }),
    genReqId: requestId,
    bodyLimit: BODY_LIMIT,
    // The client address (rate limits, logs) comes from X-Forwarded-For only via trusted proxies.
    trustProxy: trustedProxies(deps.config.trustProxy),
    frameworkErrors: sendFrameworkError,
    routerOptions: { maxParamLength: 200, querystringParser: (text: string) => parseForm(text) },
  });
  const ctx = oauthContext(deps);
  const limiter = deps.limiter ?? new RateLimiter(new MemoryCounters());
  const sessions = new SessionCookies({ secure: publicUrl.protocol === 'https:', publicHostname: publicUrl.hostname }, ctx);

  await app.register(cookie);
  registerBodyParsers(app);
  registerApiDocs(app, deps.config.publicUrl);
  registerRequestIdHeader(app);
  if (deps.metrics) registerMetrics(app, deps.metrics);
  registerErrorHandlers(app);
  registerSecurityHeaders(app, { https: publicUrl.protocol === 'https:' });
  registerCors(app);
  registerRequestLimits(app, limiter);
  registerMetaRoutes(app, ctx);
  registerOAuthRoutes(app, ctx, limiter);
  registerAuthorizeRoutes(app, ctx, sessions);
  registerLoginRoutes(app, ctx, sessions, limiter);
  registerConsoleRoutes(app, ctx, sessions);
  registerUserRoutes(app, ctx);
  registerAlertSourceRoutes(app, ctx);
  return app;
}
