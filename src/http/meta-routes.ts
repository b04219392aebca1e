// Health, the authorization server metadata, the JWKS, the stylesheet and the console script.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { OAuthContext } from '../oauth/context.ts';
import { authorizationServerMetadata } from '../oauth/metadata.ts';
import { checkReadiness, healthSchema, readinessSchema } from '../ops/readiness.ts';
import { projectFile } from '../paths.ts';

const STYLE = readFileSync(projectFile('src/pages/style.css'), 'utf8');
const CONSOLE_SCRIPT = readFileSync(projectFile('src/pages/console.js'), 'utf8');

export function registerMetaRoutes(app: FastifyInstance, ctx: OAuthContext): void {
  // Liveness: the process serves HTTP. It never touches the database, so an outage does not
  // take every instance out of rotation at once.
  app.get('/healthz', async (_request, reply) => reply.type('application/json').send({ status: 'ok' } satisfies z.output<typeof healthSchema>));

  // Readiness: the database answers, its schema is current, a signing key is loaded.
  app.get('/readyz', async (request, reply) => {
    const { ready, checks, error } = await checkReadiness(ctx);
    if (!ready) request.log.warn({ checks, reason: error instanceof Error ? error.message : undefined }, 'not ready');
    return reply
      .status(ready ? 200 : 503)
      .header('Cache-Control', 'no-store')
      .type('application/json')
      .send({ status: ready ? 'ready' : 'not ready', checks } satisfies z.output<typeof readinessSchema>);
  });

  const metadata = authorizationServerMetadata(ctx);
  app.get('/.well-known/oauth-authorization-server', async (_request, reply) =>
    reply.header('Cache-Control', 'public, max-age=300').type('application/json').send(metadata),
  );

  app.get('/.well-known/jwks.json', async (_request, reply) =>
    reply.header('Cache-Control', 'public, max-age=300').type('application/json').send(ctx.keys.jwks()),
  );

  // Browsers ask for it on every page; an empty answer keeps their consoles free of 404s.
  app.get('/favicon.ico', async (_request, reply) => reply.header('Cache-Control', 'public, max-age=86400').status(204).send());

  app.get('/assets/style.css', async (_request, reply) =>
    reply.header('Cache-Control', 'public, max-age=3600').type('text/css; charset=utf-8').send(STYLE),
  );

  app.get('/assets/console.js', async (_request, reply) =>
    reply.header('Cache-Control', 'public, max-age=3600').type('text/javascript; charset=utf-8').send(CONSOLE_SCRIPT),
  );
}
