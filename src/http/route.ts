// One route as the route table declares it (src/http/routes.ts): its method and path, the surface
// that answers its errors, its CORS policy and rate-limit rule, the scope the resource API needs,
// and its OpenAPI operation. Registration hands the declaration to fastify as the route's config;
// the hooks read it there instead of matching paths.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../oauth/token-info.ts';
import type { OperationSpec } from '../docs/operation.ts';
import type { RequestRule } from '../limits/rate-limiter.ts';

/** Which kind of answer a route speaks: OAuth JSON, the resource API's JSON, or an HTML page. */
export type Surface = 'oauth' | 'api' | 'page';

/**
 * 'public': any origin may call it from a browser (`Access-Control-Allow-Origin: *`, preflights
 * answered, no credentials, so `*` is safe); 'none': no CORS headers at all (authorize, pages).
 */
export type Cors = 'public' | 'none';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What governs a request's answers, whether or not a route matched it. */
export interface Declaration {
  surface: Surface;
  cors: Cors;
  /** The per-IP request rate it counts toward; none when unset. */
  rateLimit?: RequestRule;
}

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

interface RouteBase extends Declaration {
  method: RouteMethod;
  path: string;
  operation: OperationSpec;
  /** Accepts multipart/form-data bodies (up to these limits); no other route does. */
  multipart?: { fileSize: number; files: number; fields: number; fieldSize: number; parts: number };
}

/** A route anyone may call; it checks what it needs itself (client credentials, a session). */
export interface OpenRoute extends RouteBase {
  scope?: undefined;
  handler: Handler;
}

/**
 * A resource-API route: it runs only for a valid bearer token holding `scope` at the level the
 * method needs (GET reads, POST and PUT write, DELETE deletes); the handler gets the caller.
 */
export interface ProtectedRoute extends RouteBase {
  scope: string;
  handler: (request: FastifyRequest, reply: FastifyReply, caller: Caller) => Promise<unknown>;
}

export type Route = OpenRoute | ProtectedRoute;

/** What registration derives from the table besides its routes: 405 answers for a path's other methods. */
export interface DerivedRoute extends Declaration {
  path: string;
  derived: 'method-not-allowed';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The table's declaration of the route (set for every route; see routes.ts). */
    route?: Route | DerivedRoute;
  }
}
