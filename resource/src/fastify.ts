// @gatehouse/resource/fastify: a Fastify 5 plugin that verifies the bearer token of every route
// in the context it is registered in (onRequest, before any body is read), with per-route scopes
// in the route's config, and preHandlers for routes that opt in one by one. Fastify is imported
// for its types only; the plugin skips encapsulation as fastify-plugin would, without needing it.
import type { FastifyPluginCallback, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Refusal } from './bearer.ts';
import { checkRequirement, type ScopeRequirement } from './scopes.ts';
import type { Verified, Verifier } from './verifier-api.ts';

/** A route's part of the plugin's work: `{ config: { gatehouse: { scope: 'notes:w' } } }`, or `{ public: true }` for no token at all. */
export interface GatehouseRouteConfig {
  scope?: ScopeRequirement;
  public?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified access token; null on public routes and before authentication. */
    gatehouse: Verified | null;
  }
  interface FastifyContextConfig {
    gatehouse?: GatehouseRouteConfig;
  }
}

export interface GatehousePluginOptions {
  verifier: Verifier;
  /** Scopes every route needs unless its config names its own. */
  scope?: ScopeRequirement;
  /** Serve the RFC 9728 document at the verifier's well-known path (register the plugin without a prefix then). */
  metadata?: boolean;
}

const verifierOf = new WeakMap<FastifyRequest, Verifier>();

/** Sends a refusal: status, WWW-Authenticate (or Retry-After) and the JSON body, never cached. */
export function sendRefusal(reply: FastifyReply, refusal: Refusal): FastifyReply {
  return reply.code(refusal.status).headers(refusal.headers).header('cache-control', 'no-store').send(refusal.body);
}

async function authenticateInto(verifier: Verifier, request: FastifyRequest, reply: FastifyReply, scope: ScopeRequirement | undefined): Promise<void> {
  const result = await verifier.authenticate(request.headers, { method: request.method, url: request.url, ...(scope === undefined ? {} : { scope }) });
  if (!result.ok) {
    await sendRefusal(reply, result);
    return;
  }
  request.gatehouse = result;
  verifierOf.set(request, verifier);
}

/** A preHandler (or onRequest hook) for one route: `{ preHandler: authenticate(verifier, { scope: 'notes' }) }`. */
export function authenticate(verifier: Verifier, options: { scope?: ScopeRequirement } = {}) {
  if (options.scope !== undefined) checkRequirement(options.scope);
  return async function gatehouseAuthenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await authenticateInto(verifier, request, reply, options.scope);
  };
}

/** A preHandler checking scopes on a request already authenticated (by the plugin or authenticate()). */
export function requireScope(requirement: ScopeRequirement) {
  checkRequirement(requirement);
  return async function gatehouseRequireScope(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const auth = request.gatehouse;
    const verifier = verifierOf.get(request);
    if (!auth || !verifier) throw new Error('requireScope() runs after the gatehouse plugin or authenticate(verifier)');
    const refused = verifier.checkScope(auth, requirement, request.method);
    if (refused) await sendRefusal(reply, refused);
  };
}

const plugin: FastifyPluginCallback<GatehousePluginOptions> = (app, options, done) => {
  const { verifier } = options;
  if (options.scope !== undefined) checkRequirement(options.scope);
  app.decorateRequest('gatehouse', null);
  // A route's scopes are checked when it is declared, so a typo fails at startup.
  app.addHook('onRoute', (route: RouteOptions) => {
    const scope = route.config?.gatehouse?.scope;
    if (scope !== undefined) checkRequirement(scope);
  });
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config.gatehouse;
    // Unknown paths answer 404 whatever the token; public routes need none.
    if (config?.public === true || request.is404) return;
    await authenticateInto(verifier, request, reply, config?.scope ?? options.scope);
  });
  if (options.metadata === true) {
    app.get(verifier.resourceMetadataPath, { config: { gatehouse: { public: true } } }, async (_request, reply) => {
      void reply.headers({ 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' });
      return verifier.metadata();
    });
  }
  done();
};

/** `app.register(gatehouse, { verifier })`: every route of this context (and its children) needs a valid token. */
export const gatehouse: FastifyPluginCallback<GatehousePluginOptions> = Object.assign(plugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@gatehouse/resource',
});
