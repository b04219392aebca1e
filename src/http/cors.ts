// CORS for what browser apps call directly (token, revoke, token_info, the resource API), errors
// included, and never for authorize or the pages. No credentials, so `*` is safe.
import type { FastifyInstance } from 'fastify';

const CORS_PATHS = [/^\/api\/developers\/oauth2\/(token|token_info|revoke)$/, /^\/oauth2\/(introspect|revoke)$/, /^\/api\/(?!developers\/oauth2\/)/, /^\/\.well-known\//];

export function corsApplies(url: string): boolean {
  const path = url.split('?', 1)[0] ?? '';
  return CORS_PATHS.some((pattern) => pattern.test(path));
}

export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!corsApplies(request.url)) return;
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
