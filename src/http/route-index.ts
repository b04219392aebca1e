// Which declaration governs a request: the route it matched (its fastify config); else, when no
// route matched its method (a 404, a CORS preflight, a URL the router could not decode), the
// table's route at that path under another method; else the area of the site the path lies in.
// The CORS, rate-limit and error hooks all ask here, so they can never disagree.
import type { FastifyRequest } from 'fastify';
import type { Declaration, Route } from './route.ts';

/**
 * The site's areas, for paths no route declares: an unknown OAuth path still answers in OAuth
 * JSON, an unknown API path in the API's JSON (with CORS, as a browser app calls it), and
 * everything else with a page. The first area whose prefix the path starts with applies.
 */
export const AREAS: readonly (Declaration & { prefix: string })[] = [
  { prefix: '/api/developers/oauth2/authorize', surface: 'page', cors: 'none', rateLimit: 'pagesPerIp' },
  { prefix: '/api/developers/oauth2/', surface: 'oauth', cors: 'none', rateLimit: 'apiPerIp' },
  { prefix: '/oauth2/', surface: 'oauth', cors: 'none', rateLimit: 'apiPerIp' },
  { prefix: '/api', surface: 'api', cors: 'public', rateLimit: 'apiPerIp' },
  { prefix: '/.well-known/', surface: 'page', cors: 'public' },
  { prefix: '/console', surface: 'page', cors: 'none', rateLimit: 'pagesPerIp' },
];

const ELSEWHERE: Declaration = { surface: 'page', cors: 'none' };

const inArea = (path: string, prefix: string): boolean =>
  prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`);

/** A fastify path (`/things/:id`) as a pattern for raw request paths. */
function pattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

export const pathOf = (url: string): string => url.split('?', 1)[0] ?? '';

export class RouteIndex {
  readonly #paths: { pattern: RegExp; declaration: Declaration }[] = [];

  /** Routes at one path must agree on surface, CORS and rate limit: they are one resource. */
  constructor(routes: readonly Route[]) {
    const byPath = new Map<string, Route>();
    for (const route of routes) {
      const first = byPath.get(route.path);
      if (!first) {
        byPath.set(route.path, route);
        this.#paths.push({ pattern: pattern(route.path), declaration: { surface: route.surface, cors: route.cors, rateLimit: route.rateLimit } });
      } else if (first.surface !== route.surface || first.cors !== route.cors || first.rateLimit !== route.rateLimit) {
        throw new Error(`${route.method} ${route.path} declares another surface, CORS policy or rate limit than ${first.method} ${first.path}`);
      }
    }
  }

  /** The declaration of the routes at a path, whatever their method; else its area's. */
  at(path: string): Declaration {
    for (const { pattern, declaration } of this.#paths) if (pattern.test(path)) return declaration;
    return AREAS.find((area) => inArea(path, area.prefix)) ?? ELSEWHERE;
  }

  /** What governs this request's answers. */
  governing(request: FastifyRequest): Declaration {
    return request.routeOptions.config?.route ?? this.at(pathOf(request.url));
  }
}
