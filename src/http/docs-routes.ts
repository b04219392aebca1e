// The API description: /openapi.json (the document) and /docs/api (the same, as a page), both
// generated from the route table the app was built from, once, on first request.
import { z } from 'zod';
import { apiReferencePage } from '../docs/api-reference-page.ts';
import { openApiDocument } from '../docs/openapi.ts';
import type { DocumentedRoute, Security } from '../docs/operation.ts';
import { scopeNeeded } from '../oauth/scopes.ts';
import type { Route } from './route.ts';
import { sendPage } from './send-page.ts';

/** The table's routes as the document lists them; a protected route's security is its scope at its method's level. */
export function documented(routes: readonly Route[]): DocumentedRoute[] {
  return routes.map((route) => {
    const security: Security[] = route.scope !== undefined ? [{ scopes: [scopeNeeded(route.scope, route.method)] }] : (route.operation.security ?? ['none']);
    return { method: route.method, path: route.path, operation: { ...route.operation, security } };
  });
}

const documentSchema = z
  .looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })
  .meta({ title: 'OpenAPIDocument' });

export function docsRoutes(issuer: string, table: () => readonly Route[]): Route[] {
  let rendered: { json: string; page: string } | undefined;
  const render = () => {
    if (!rendered) {
      const document = openApiDocument(issuer, documented(table()));
      rendered = { json: JSON.stringify(document), page: apiReferencePage(document) };
    }
    return rendered;
  };
  return [
    {
      method: 'GET',
      path: '/openapi.json',
      surface: 'page',
      cors: 'public',
      operation: { id: 'openapi', tag: 'Assets', summary: 'This description, as an OpenAPI 3.1 document', responses: { '200': { description: 'The document', body: documentSchema } } },
      handler: async (_request, reply) => reply.header('Cache-Control', 'public, max-age=300').type('application/json; charset=utf-8').send(render().json),
    },
    {
      method: 'GET',
      path: '/docs/api',
      surface: 'page',
      cors: 'none',
      operation: { id: 'apiReference', tag: 'Assets', summary: 'This description, as a page', responses: { '200': { description: 'The API reference', body: 'html' } } },
      handler: async (_request, reply) => sendPage(reply, 200, render().page),
    },
  ];
}
