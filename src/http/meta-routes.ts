// Health, readiness, the authorization server metadata, the JWKS, and the pages' static assets.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MEDIA_TYPES } from '../docs/operation.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { OAUTH_PATHS, PROTECTED_RESOURCE_PATHS, authorizationServerMetadata, protectedResourceMetadata } from '../oauth/metadata.ts';
import { OIDC_PATHS, openIdConfiguration } from '../oauth/oidc-metadata.ts';
import { openIdConfigurationSchema } from './oidc-schemas.ts';
import { projectFile } from '../paths.ts';
import { PASSKEYS_SCRIPT_FILE, WEBAUTHN_BUNDLE_FILE } from '../pages/layout.ts';
import { checkReadiness } from '../platform/readiness.ts';
import { jwksSchema, metadataSchema, protectedResourceMetadataSchema } from './oauth-schemas.ts';
import type { Route } from './route.ts';

const STYLE = readFileSync(projectFile('src/pages/style.css'), 'utf8');
const CONSOLE_SCRIPT = readFileSync(projectFile('src/pages/console.js'), 'utf8');
const WEBAUTHN_BUNDLE = readFileSync(projectFile(WEBAUTHN_BUNDLE_FILE), 'utf8');
const PASSKEYS_SCRIPT = readFileSync(projectFile(PASSKEYS_SCRIPT_FILE), 'utf8');

/** GET /healthz's answer. */
export const healthSchema = z.object({ status: z.literal('ok') }).meta({ title: 'Health' });

/** GET /readyz's answer: each check is "ok" or says what is wrong. */
export const readinessSchema = z
  .object({
    status: z.enum(['ready', 'not ready']),
    checks: z.object({ database: z.string(), migrations: z.string(), keys: z.string() }),
  })
  .meta({ title: 'Readiness' });

/** A file the pages load, read once at start and cached by browsers for an hour. */
function asset(path: string, id: string, summary: string, kind: 'css' | 'javascript', content: string): Route {
  return {
    method: 'GET',
    path,
    surface: 'page',
    cors: 'none',
    operation: { id, tag: 'Assets', summary, responses: { '200': { description: kind === 'css' ? 'CSS' : 'JavaScript', body: kind } } },
    handler: async (_request, reply) => reply.header('Cache-Control', 'public, max-age=3600').type(`${MEDIA_TYPES[kind]}; charset=utf-8`).send(content),
  };
}

/** A discovery document: public, cached by clients for five minutes. */
function discovery(path: string, id: string, summary: string, description: string, body: z.ZodType, document: object): Route {
  return {
    method: 'GET',
    path,
    surface: 'page',
    cors: 'public',
    operation: { id, tag: 'Discovery', summary, responses: { '200': { description, body } } },
    handler: async (_request, reply) => reply.header('Cache-Control', 'public, max-age=300').type('application/json').send(document),
  };
}

export function metaRoutes(ctx: OAuthContext): Route[] {
  const metadata = authorizationServerMetadata(ctx);
  const resourceMetadata = protectedResourceMetadata(ctx);
  const resourceSummary = 'Protected resource metadata of the built-in API (RFC 9728)';
  return [
    {
      method: 'GET',
      path: '/healthz',
      surface: 'page',
      cors: 'none',
      operation: { id: 'healthz', tag: 'Operations', summary: 'Liveness: the process serves HTTP', responses: { '200': { description: 'Up', body: healthSchema } } },
      // It never touches the database, so an outage does not take every instance out of rotation at once.
      handler: async (_request, reply) => reply.type('application/json').send({ status: 'ok' } satisfies z.output<typeof healthSchema>),
    },
    {
      method: 'GET',
      path: '/readyz',
      surface: 'page',
      cors: 'none',
      operation: {
        id: 'readyz',
        tag: 'Operations',
        summary: 'Readiness: database reachable, migrations current, keys loaded',
        responses: { '200': { description: 'Ready', body: readinessSchema }, '503': { description: 'Not ready; the failing check says why', body: readinessSchema } },
      },
      handler: async (request, reply) => {
        const { ready, checks, error } = await checkReadiness(ctx);
        if (!ready) request.log.warn({ checks, reason: error instanceof Error ? error.message : undefined }, 'not ready');
        return reply
          .status(ready ? 200 : 503)
          .header('Cache-Control', 'no-store')
          .type('application/json')
          .send({ status: ready ? 'ready' : 'not ready', checks } satisfies z.output<typeof readinessSchema>);
      },
    },
    discovery('/.well-known/oauth-authorization-server', 'metadata', 'Authorization server metadata (RFC 8414)', 'The endpoints and what they support', metadataSchema, metadata),
    discovery(OIDC_PATHS.configuration, 'openidConfiguration', 'OpenID Connect discovery', 'The OAuth metadata plus the OpenID provider fields', openIdConfigurationSchema, openIdConfiguration(ctx)),
    discovery(PROTECTED_RESOURCE_PATHS.pathInserted, 'protectedResourceMetadata', resourceSummary, 'The API, who issues its tokens, its scopes', protectedResourceMetadataSchema, resourceMetadata),
    // The root form, for clients that look only there; the same document (the API is the only resource).
    discovery(PROTECTED_RESOURCE_PATHS.root, 'protectedResourceMetadataRoot', `${resourceSummary}, at the root`, 'The same document as at /.well-known/oauth-protected-resource/api', protectedResourceMetadataSchema, resourceMetadata),
    {
      method: 'GET',
      path: OAUTH_PATHS.jwks,
      surface: 'page',
      cors: 'public',
      operation: { id: 'jwks', tag: 'Discovery', summary: 'Public signing keys (JWKS)', responses: { '200': { description: 'Every key that may verify a live access token', body: jwksSchema } } },
      handler: async (_request, reply) => reply.header('Cache-Control', 'public, max-age=300').type('application/json').send(ctx.keys.jwks()),
    },
    {
      method: 'GET',
      path: '/favicon.ico',
      surface: 'page',
      cors: 'none',
      operation: { id: 'favicon', tag: 'Assets', summary: 'No favicon: an empty answer keeps browser consoles free of 404s', responses: { '204': { description: 'Nothing' } } },
      handler: async (_request, reply) => reply.header('Cache-Control', 'public, max-age=86400').status(204).send(),
    },
    asset('/assets/style.css', 'stylesheet', 'The stylesheet of every page', 'css', STYLE),
    asset('/assets/console.js', 'consoleScript', "The console's progressive enhancements (copy buttons, secret reveal); every page works without it", 'javascript', CONSOLE_SCRIPT),
    asset('/assets/simplewebauthn-browser.js', 'webauthnBrowserScript', '@simplewebauthn/browser (MIT), served from this origin for the passkey pages', 'javascript', WEBAUTHN_BUNDLE),
    asset('/assets/passkeys.js', 'passkeysScript', 'Adding a passkey in the console and signing in with one (the passkey buttons need it; every other part of the pages works without)', 'javascript', PASSKEYS_SCRIPT),
  ];
}
