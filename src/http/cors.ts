// CORS for what browser apps call directly (token, revoke, token_info, introspection, discovery,
// the resource API), errors included, and never for authorize or the pages: each route declares
// it (route.ts), and preflights follow the declaration of the path they ask about. No
// credentials, so `*` is safe.
import type { FastifyInstance } from 'fastify';
import type { RouteIndex } from './route-index.ts';

export function registerCors(app: FastifyInstance, index: RouteIndex): void {
  app.addHook('onRequest', async (request, reply) => {
    if (index.governing(request).cors !== 'public') return;
    reply.header('Access-Control-Allow-Origin', '*');
    if (request.method === 'OPTIONS') {
      reply
        .header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS')
        .header('Access-Control-Allow-Headers', 'authorization, content-type, accept')
        .header('Access-Control-Max-Age', '600')
        .status(204)
        .send();
    }
  });
}
