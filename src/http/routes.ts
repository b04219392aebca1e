// The route table: every route Gatehouse serves, collected from the files that define them, and
// their registration. A route registered any other way is refused when the app is built, so the
// table, the hooks that read it and the OpenAPI document generated from it cannot drift apart.
import multipart from '@fastify/multipart';
import type { FastifyInstance, HTTPMethods, RouteOptions } from 'fastify';
import { alertSourceRoutes } from '../api/alert-sources.ts';
import { escalationPolicyRoutes } from '../api/escalation-policies.ts';
import { authenticateBearer, requireScope } from '../api/bearer.ts';
import { userRoutes } from '../api/users.ts';
import type { RateLimiter } from '../limits/rate-limiter.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { authorizeRoutes } from './authorize-routes.ts';
import { userInfoRoutes } from './userinfo-routes.ts';
import { consoleRoutes } from './console/routes.ts';
import { deviceAuthorizationRoutes } from './device-authorization-routes.ts';
import { deviceRoutes } from './device-routes.ts';
import { docsRoutes } from './docs-routes.ts';
import { sendApiError } from './errors.ts';
import { loginRoutes } from './login-routes.ts';
import { secondFactorRoutes } from './second-factor-routes.ts';
import { passkeyLoginRoutes } from './passkey-login-routes.ts';
import { secondFactorPasskeyRoutes } from './second-factor-passkey-routes.ts';
import { logoutRoutes } from './logout-routes.ts';
import { metaRoutes } from './meta-routes.ts';
import { metricsRoutes, type MetricsSetup } from './metrics-routes.ts';
import { oauthRoutes } from './oauth-routes.ts';
import { registrationRoutes } from './registration-routes.ts';
import type { DerivedRoute, Handler, Route } from './route.ts';
import type { SessionCookies } from './sessions.ts';

export interface RouteDeps {
  ctx: OAuthContext;
  sessions: SessionCookies;
  limiter: RateLimiter;
  metrics?: MetricsSetup;
}

/** Every route, in one list; to add an endpoint, add its entry to the file of its area. */
export function routeTable({ ctx, sessions, limiter, metrics }: RouteDeps): readonly Route[] {
  const table: Route[] = [];
  table.push(
    ...metaRoutes(ctx),
    ...docsRoutes(ctx.issuer, () => table),
    ...oauthRoutes(ctx, limiter),
    ...deviceAuthorizationRoutes(ctx, limiter),
    ...registrationRoutes(ctx, limiter),
    ...authorizeRoutes(ctx, sessions),
    ...userInfoRoutes(ctx),
    ...loginRoutes(ctx, sessions, limiter),
    ...secondFactorRoutes(ctx, sessions, limiter),
    ...passkeyLoginRoutes(ctx, sessions, limiter),
    ...secondFactorPasskeyRoutes(ctx, sessions, limiter),
    ...logoutRoutes(ctx, sessions),
    ...deviceRoutes(ctx, sessions, limiter),
    ...consoleRoutes(ctx, sessions, limiter),
    ...userRoutes(),
    ...alertSourceRoutes(ctx),
    ...escalationPolicyRoutes(ctx),
    ...(metrics?.endpoint ? metricsRoutes(metrics.endpoint) : []),
  );
  return table;
}

export interface RegisteredRoute {
  method: string;
  url: string;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();
const declared = new WeakMap<FastifyInstance, readonly Route[]>();

/** Every route fastify registered (HEAD and 405 answers included), one entry per method. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

/** The table the app was built from. */
export function declaredRoutes(app: FastifyInstance): readonly Route[] {
  return declared.get(app) ?? [];
}

/** Methods the resource API answers with 405 (and an Allow header) where a path lacks them. */
const ROUTABLE: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function methodNotAllowed(path: string, routes: readonly Route[]): { route: DerivedRoute; methods: HTTPMethods[]; handler: Handler } | undefined {
  const here = routes.filter((route) => route.path === path);
  const first = here[0];
  if (!first || first.surface !== 'api') return undefined;
  const allowed: string[] = here.map((route) => route.method);
  const methods = ROUTABLE.filter((method) => !allowed.includes(method));
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const route: DerivedRoute = { path, surface: first.surface, cors: first.cors, rateLimit: first.rateLimit, derived: 'method-not-allowed' };
  const handler: Handler = async (request, reply) =>
    sendApiError(reply.header('Allow', allow), 405, 'METHOD_NOT_ALLOWED', `${request.method} is not supported here; use ${allowed.join(', ')}`);
  return methods.length > 0 ? { route, methods, handler } : undefined;
}

/** The handler fastify runs: a protected route's only after its bearer token and scope passed. */
function handlerOf(route: Route, ctx: OAuthContext): Handler {
  if (route.scope === undefined) return route.handler;
  const { scope, handler } = route;
  return async (request, reply) => {
    const caller = await authenticateBearer(request, reply, ctx);
    if (!caller || !requireScope(caller, reply, ctx, scope, request.method)) return reply;
    return handler(request, reply, caller);
  };
}

/**
 * Registers the table (and the 405 answers it implies). From here on the app refuses any route
 * that is not the table's: `app.get(…)` anywhere else throws.
 */
export function registerRoutes(app: FastifyInstance, table: readonly Route[], ctx: OAuthContext): void {
  const known = new Set<object>();
  const seen: RegisteredRoute[] = [];
  registered.set(app, seen);
  declared.set(app, table);
  app.addHook('onRoute', (options: RouteOptions) => {
    const route = options.config?.route;
    if (!route || !known.has(route)) throw new Error(`${String(options.method)} ${options.url} is not in the route table (src/http/routes.ts)`);
    for (const method of [options.method].flat()) seen.push({ method: String(method), url: options.url });
  });

  const add = (target: FastifyInstance, route: Route) => {
    known.add(route);
    target.route({ method: route.method, url: route.path, config: { route }, handler: handlerOf(route, ctx) });
  };
  for (const route of table) if (!route.multipart) add(app, route);
  for (const path of new Set(table.map((route) => route.path))) {
    const derived = methodNotAllowed(path, table);
    if (!derived) continue;
    known.add(derived.route);
    app.route({ method: derived.methods, url: path, config: { route: derived.route }, handler: derived.handler });
  }
  // Multipart bodies are parsed only inside this plugin, so no other route accepts them.
  for (const route of table) {
    const limits = route.multipart;
    if (!limits) continue;
    void app.register(async (uploads) => {
      await uploads.register(multipart, { limits: { ...limits, headerPairs: 100 } });
      add(uploads, route);
    });
  }
}
