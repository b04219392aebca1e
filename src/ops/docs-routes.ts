// The API description: /openapi.json (the document) and /docs/api (the same, as a page). Also
// remembers every route the app registers, so a test can hold the document against them.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { sendPage } from '../http/send-page.ts';
import { apiReferencePage } from './api-reference-page.ts';
import { openApiDocument } from './openapi.ts';

export interface RegisteredRoute {
  method: string;
  url: string;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered after registerApiDocs, one entry per method. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

/** Built once per issuer: every app of a process (and every test server) shares it. */
const byIssuer = new Map<string, { json: string; page: string }>();
function rendered(issuer: string): { json: string; page: string } {
  let found = byIssuer.get(issuer);
  if (!found) {
    const document = openApiDocument(issuer);
    byIssuer.set(issuer, (found = { json: JSON.stringify(document), page: apiReferencePage(document) }));
  }
  return found;
}

/** Call before any other route is registered. */
export function registerApiDocs(app: FastifyInstance, issuer: string): void {
  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
  });

  const { json, page } = rendered(issuer);
  app.get('/openapi.json', async (_request, reply) =>
    reply.header('Cache-Control', 'public, max-age=300').header('Access-Control-Allow-Origin', '*').type('application/json; charset=utf-8').send(json),
  );
  app.get('/docs/api', async (_request, reply) => sendPage(reply, 200, page));
}
