// What the API reference says of one operation: its parameters and answers are the zod schemas
// the routes validate and type with, so the OpenAPI document (openapi.ts) cannot drift from them.
// Every route of the route table (src/http/routes.ts) carries one.
import type { z } from 'zod';

/** How a caller proves who it is: nothing, the client secret, a session cookie, the metrics token, or an access token with these scopes. */
export type Security = 'none' | 'clientSecretBasic' | 'session' | 'metricsToken' | { scopes: string[] };

/** A body that is not JSON, by what it is. */
export type MediaKind = 'html' | 'text' | 'css' | 'javascript' | 'png';

export const MEDIA_TYPES: Record<MediaKind, string> = {
  html: 'text/html',
  text: 'text/plain',
  css: 'text/css',
  javascript: 'text/javascript',
  png: 'image/png',
};

export interface ResponseSpec {
  description: string;
  /** A JSON body of this shape, another kind of body, or nothing (redirects, 204). */
  body?: z.ZodType | MediaKind;
  headers?: Record<string, string>;
}

/** The reference's sections, in the order it lists them. */
export const TAGS = {
  OAuth: 'Authorization, tokens, token_info, revocation, introspection',
  Discovery: 'Metadata and signing keys',
  Users: 'Resource API: the signed-in user (scope profile)',
  'Alert sources': 'Resource API: alert sources (scope source, source:w, source:d)',
  'Escalation policies': "Resource API: the account's escalation policies (scope policy)",
  'Sign-in': 'The pages people sign in and out with',
  Console: 'The web console: apps, connections, users, audit log, platform admin (signed in; forms carry a CSRF token)',
  Assets: 'Stylesheet, script, icons and this reference',
  Operations: 'Health, readiness and metrics for operators',
} as const;

export type Tag = keyof typeof TAGS;

/**
 * One example call: what a client sends and what it gets back. test/ops/openapi-examples.test.ts
 * checks it against the operation's own schemas, so an example cannot drift from the API.
 */
export interface ExampleSpec {
  query?: Record<string, string>;
  /** The body, sent as the first of the operation's body types. */
  body?: Record<string, unknown>;
  /** A status among the operation's responses, and for a JSON answer its body. */
  response: { status: string; body?: unknown };
}

export interface OperationSpec {
  id: string;
  tag: Tag;
  summary: string;
  description?: string;
  query?: z.ZodObject;
  path?: Record<string, z.ZodType>;
  /** The body and the media types it may come in. */
  body?: { schema: z.ZodType; types: ('form' | 'json' | 'multipart')[] };
  /** Who may call it; routes that declare a scope get theirs from it. */
  security?: Security[];
  responses: Record<string, ResponseSpec>;
  /** The request and the answer the reference shows (one made from the method and path when unset). */
  example?: ExampleSpec;
}

/** One operation at its method and path, as the route table declares it. */
export interface DocumentedRoute {
  method: string;
  /** The route as fastify knows it (`:id` for parameters). */
  path: string;
  operation: OperationSpec & { security: Security[] };
}
