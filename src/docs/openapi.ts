// The OpenAPI 3.1 document, generated from the route table's operations and their zod schemas
// (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses it). Served at /openapi.json.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { OAUTH_PATHS } from '../oauth/metadata.ts';
import { BUILT_IN_CATALOG, OFFLINE_ACCESS, RESOURCE_SCOPES, supportedScopes } from '../oauth/scopes.ts';
import { projectFile } from '../paths.ts';
import { MEDIA_TYPES, TAGS, type DocumentedRoute, type ResponseSpec, type Security } from './operation.ts';

export type JsonSchema = Record<string, unknown>;

const VERSION = (JSON.parse(readFileSync(projectFile('package.json'), 'utf8')) as { version: string }).version;
const SAFE_MIN = Number.MIN_SAFE_INTEGER;
const SAFE_MAX = Number.MAX_SAFE_INTEGER;

/** A schema as JSON Schema: what a client sends (`input`) or what the server answers (`output`). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const converted = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    // z.int() says "a safe integer"; in a reference that is noise.
    override: ({ jsonSchema: s }) => {
      if (s.minimum === SAFE_MIN) delete s.minimum;
      if (s.maximum === SAFE_MAX) delete s.maximum;
    },
  }) as JsonSchema;
  delete converted.$schema;
  return converted;
}

/** Fastify's `/things/:id` as OpenAPI's `/things/{id}`. */
export const openApiPath = (route: string): string => route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const isOptional = (schema: z.ZodType): boolean => schema.safeParse(undefined).success;

function parameter(name: string, where: 'query' | 'path', schema: z.ZodType, example?: string) {
  const { description, ...rest } = jsonSchema(schema, 'input');
  return { name, in: where, required: where === 'path' || !isOptional(schema), ...(description ? { description } : {}), schema: rest, ...(example !== undefined ? { example } : {}) };
}

const MEDIA = { form: 'application/x-www-form-urlencoded', json: 'application/json', multipart: 'multipart/form-data' } as const;

function response(spec: ResponseSpec, example?: unknown) {
  const headers = spec.headers && Object.fromEntries(Object.entries(spec.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));
  const content =
    spec.body === undefined
      ? undefined
      : typeof spec.body === 'string'
        ? { [MEDIA_TYPES[spec.body]]: { schema: spec.body === 'png' ? { type: 'string', contentMediaType: 'image/png' } : { type: 'string' } } }
        : { 'application/json': { schema: jsonSchema(spec.body, 'output'), ...(example !== undefined ? { example } : {}) } };
  return { description: spec.description, ...(headers ? { headers } : {}), ...(content ? { content } : {}) };
}

function security(entries: Security[]) {
  return entries.map((entry) => (entry === 'none' ? {} : typeof entry === 'string' ? { [entry]: [] } : { accessToken: entry.scopes }));
}

function operation({ operation: op }: DocumentedRoute) {
  const parameters = [
    ...Object.entries(op.path ?? {}).map(([name, schema]) => parameter(name, 'path', schema)),
    ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => parameter(name, 'query', schema as z.ZodType, op.example?.query?.[name])),
  ];
  const body = op.body;
  const example = op.example;
  // The example body goes with the first media type, the one it is written in.
  const bodyContent = (i: number) => ({ schema: jsonSchema(body?.schema ?? z.never(), 'input'), ...(i === 0 && example?.body ? { example: example.body } : {}) });
  return {
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: Object.fromEntries(body.types.map((t, i) => [MEDIA[t], bodyContent(i)])) } } : {}),
    security: security(op.security),
    responses: Object.fromEntries(Object.entries(op.responses).map(([status, spec]) => [status, response(spec, example?.response.status === status ? example.response.body : undefined)])),
    ...(example ? { 'x-example-status': example.response.status } : {}),
  };
}

function scopeDescriptions(): Record<string, string> {
  const nouns = new Map(RESOURCE_SCOPES.map((s) => [s.name, s.noun]));
  return Object.fromEntries(
    supportedScopes().map((scope) => {
      if (scope === OFFLINE_ACCESS) return [scope, 'A refresh token for a client without a secret'];
      const plain = BUILT_IN_CATALOG.plain.get(scope);
      if (plain !== undefined) return [scope, `OpenID Connect: ${plain}`];
      const [name = '', level] = scope.split(':');
      const verb = level === 'd' ? 'See, create, edit and delete' : level === 'w' ? 'See, create and edit' : 'See';
      return [scope, `${verb}: ${nouns.get(name) ?? name}`];
    }),
  );
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;

export function openApiDocument(issuer: string, routes: readonly DocumentedRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation(route);
  const used = new Set(routes.map((route) => route.operation.tag));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse',
      version: VERSION,
      description:
        'OAuth 2.1 authorization server and app platform, compatible with ilert\'s developer platform: authorization, tokens, token_info, revocation, introspection, discovery, the resource API the tokens grant access to, and the sign-in and console pages.',
    },
    servers: [{ url: issuer }],
    tags: Object.entries(TAGS)
      .filter(([name]) => used.has(name as keyof typeof TAGS))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        clientSecretBasic: { type: 'http', scheme: 'basic', description: 'client_id and client_secret, form-url-encoded, in HTTP Basic' },
        accessToken: {
          type: 'oauth2',
          description: 'An access token (JWT) from the token endpoint, as `Authorization: Bearer …`',
          flows: {
            authorizationCode: {
              authorizationUrl: `${issuer}${OAUTH_PATHS.authorize}`,
              tokenUrl: `${issuer}${OAUTH_PATHS.token}`,
              refreshUrl: `${issuer}${OAUTH_PATHS.token}`,
              scopes: scopeDescriptions(),
            },
          },
        },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'GATEHOUSE_METRICS_TOKEN' },
        session: { type: 'apiKey', in: 'cookie', name: 'gh_session', description: 'The session cookie set by signing in (`__Host-gh_session` on https); forms also post the CSRF token of the `gh_csrf` cookie' },
      },
    },
  };
}
