// Every public endpoint, described once: its parameters and answers are the zod schemas the
// routes validate and type with, so the OpenAPI document (openapi.ts) cannot drift from them.
// test/ops/openapi.test.ts checks that every registered API route is listed here.
import type { z } from 'zod';
import { alertSourceBodySchema, alertSourceIdSchema, alertSourceListSchema, alertSourceSchema, apiErrorSchema, pageQuerySchema, userSchema } from '../api/schemas.ts';
import {
  authorizeRequestSchema,
  consentFormSchema,
  introspectionRequestSchema,
  introspectionSchema,
  jwksSchema,
  metadataSchema,
  oauthErrorSchema,
  revokeRequestSchema,
  revokeResponseSchema,
  tokenInfoRequestSchema,
  tokenInfoSchema,
  tokenRequestSchema,
  tokenResponseSchema,
} from '../http/oauth-schemas.ts';
import { OAUTH_PATHS } from '../oauth/metadata.ts';
import { healthSchema, readinessSchema } from './readiness.ts';

export type Security = 'none' | 'clientSecretBasic' | 'metricsToken' | { scopes: string[] };

export interface ResponseSpec {
  description: string;
  /** A JSON body of this shape; `html`/`text` for pages and plain text; nothing for redirects and 204. */
  body?: z.ZodType | 'html' | 'text';
  headers?: Record<string, string>;
}

export interface OperationSpec {
  id: string;
  method: 'get' | 'post' | 'put' | 'delete';
  /** The route as fastify knows it (`:id` for parameters). */
  route: string;
  tag: 'OAuth' | 'Discovery' | 'Users' | 'Alert sources' | 'Operations';
  summary: string;
  description?: string;
  query?: z.ZodObject;
  path?: Record<string, z.ZodType>;
  /** The body and the media types it may come in. */
  body?: { schema: z.ZodType; types: ('form' | 'json')[] };
  security: Security[];
  responses: Record<string, ResponseSpec>;
}

const oauthErrors = (extra: Record<string, ResponseSpec> = {}): Record<string, ResponseSpec> => ({
  '400': { description: 'invalid_request, invalid_grant, unsupported_grant_type, invalid_scope, …', body: oauthErrorSchema },
  ...extra,
  '429': { description: 'Too many requests (temporarily_unavailable), with Retry-After', body: oauthErrorSchema },
  '503': { description: 'The database is unavailable (temporarily_unavailable), with Retry-After', body: oauthErrorSchema },
});

const apiErrors = (extra: Record<string, ResponseSpec> = {}): Record<string, ResponseSpec> => ({
  ...extra,
  '401': { description: 'No, an invalid, an expired or a revoked access token (WWW-Authenticate says which)', body: apiErrorSchema },
  '403': { description: 'The token lacks the scope (OAUTH2_SCOPE_ERROR; `scope` names it)', body: apiErrorSchema },
  '429': { description: 'Too many requests, with Retry-After', body: apiErrorSchema },
});

const FORM_AND_JSON: ('form' | 'json')[] = ['form', 'json'];

const revokeOperation = (id: string, route: string, note: string): OperationSpec => ({
  id,
  method: 'post',
  route,
  tag: 'OAuth',
  summary: `Revoke a token${note}`,
  description: 'A refresh token or an access token; its whole grant (token family) ends, access tokens included. Unknown tokens are not an error (RFC 7009).',
  body: { schema: revokeRequestSchema, types: FORM_AND_JSON },
  security: ['none'],
  responses: { '200': { description: 'Revoked (or never valid)', body: revokeResponseSchema }, ...oauthErrors() },
});

export const OPERATIONS: readonly OperationSpec[] = [
  {
    id: 'authorize',
    method: 'get',
    route: OAUTH_PATHS.authorize,
    tag: 'OAuth',
    summary: 'Authorization endpoint',
    description: 'Signs the user in if needed, asks for consent, then redirects to the redirect_uri with `code`, `state` and `iss` (or `error`). Opened in a browser.',
    query: authorizeRequestSchema,
    security: ['none'],
    responses: {
      '302': { description: 'To redirect_uri with code, state and iss — or error, error_description, state and iss', headers: { Location: 'The redirect' } },
      '200': { description: 'The sign-in page, or the consent page', body: 'html' },
      '400': { description: 'Unknown client_id, or a redirect_uri the app did not register: no safe place to redirect to', body: 'html' },
      '429': { description: 'Too many requests', body: 'html' },
    },
  },
  {
    id: 'consent',
    method: 'post',
    route: OAUTH_PATHS.authorize,
    tag: 'OAuth',
    summary: 'Consent decision (the consent page\'s form)',
    description: 'The consent form posts the authorization request back with `decision` and its CSRF token; the request is validated again.',
    body: { schema: consentFormSchema, types: ['form'] },
    security: ['none'],
    responses: {
      '303': { description: 'To redirect_uri with a code (allow) or error=access_denied (deny)', headers: { Location: 'The redirect' } },
      '400': { description: 'A bad request, or no decision', body: 'html' },
      '403': { description: 'The form expired or came from elsewhere (CSRF)', body: 'html' },
    },
  },
  {
    id: 'token',
    method: 'post',
    route: OAUTH_PATHS.token,
    tag: 'OAuth',
    summary: 'Token endpoint',
    description:
      '`authorization_code` (with the client secret and/or PKCE S256) or `refresh_token`. Client credentials in HTTP Basic or the body; `client_id` also in the query string. Responses carry `Cache-Control: no-store`.',
    body: { schema: tokenRequestSchema, types: FORM_AND_JSON },
    security: ['clientSecretBasic', 'none'],
    responses: { '200': { description: 'Tokens', body: tokenResponseSchema }, ...oauthErrors({ '401': { description: 'invalid_client', body: oauthErrorSchema } }) },
  },
  {
    id: 'tokenInfo',
    method: 'post',
    route: OAUTH_PATHS.tokenInfo,
    tag: 'OAuth',
    summary: 'Access token information (ilert)',
    body: { schema: tokenInfoRequestSchema, types: FORM_AND_JSON },
    security: ['none'],
    responses: { '200': { description: 'Whether the token is active, and whose it is', body: tokenInfoSchema }, ...oauthErrors() },
  },
  revokeOperation('revoke', OAUTH_PATHS.revoke, ''),
  revokeOperation('revokeRfc7009', OAUTH_PATHS.revokeAlias, ' (RFC 7009 path)'),
  {
    id: 'introspect',
    method: 'post',
    route: OAUTH_PATHS.introspect,
    tag: 'OAuth',
    summary: 'Token introspection (RFC 7662)',
    description: 'For an app with its client secret: whether one of its own access or refresh tokens is active, and what it grants. Other apps\' tokens are inactive.',
    body: { schema: introspectionRequestSchema, types: FORM_AND_JSON },
    security: ['clientSecretBasic'],
    responses: { '200': { description: 'The token\'s state', body: introspectionSchema }, ...oauthErrors({ '401': { description: 'invalid_client', body: oauthErrorSchema } }) },
  },
  {
    id: 'metadata',
    method: 'get',
    route: '/.well-known/oauth-authorization-server',
    tag: 'Discovery',
    summary: 'Authorization server metadata (RFC 8414)',
    security: ['none'],
    responses: { '200': { description: 'The endpoints and what they support', body: metadataSchema } },
  },
  {
    id: 'jwks',
    method: 'get',
    route: OAUTH_PATHS.jwks,
    tag: 'Discovery',
    summary: 'Public signing keys (JWKS)',
    security: ['none'],
    responses: { '200': { description: 'Every key that may verify a live access token', body: jwksSchema } },
  },
  {
    id: 'currentUser',
    method: 'get',
    route: '/api/users/current',
    tag: 'Users',
    summary: 'The signed-in user',
    security: [{ scopes: ['profile'] }],
    responses: apiErrors({ '200': { description: 'The token\'s user', body: userSchema } }),
  },
  {
    id: 'listAlertSources',
    method: 'get',
    route: '/api/alert-sources',
    tag: 'Alert sources',
    summary: 'List alert sources',
    query: pageQuerySchema,
    security: [{ scopes: ['source'] }],
    responses: apiErrors({ '200': { description: 'A page of alert sources', body: alertSourceListSchema }, '400': { description: 'Bad paging parameters', body: apiErrorSchema } }),
  },
  {
    id: 'createAlertSource',
    method: 'post',
    route: '/api/alert-sources',
    tag: 'Alert sources',
    summary: 'Create an alert source',
    body: { schema: alertSourceBodySchema, types: ['json'] },
    security: [{ scopes: ['source:w'] }],
    responses: apiErrors({
      '201': { description: 'Created', body: alertSourceSchema, headers: { Location: 'The new alert source\'s URL' } },
      '400': { description: 'A field is missing or invalid (`field` names it)', body: apiErrorSchema },
    }),
  },
  {
    id: 'getAlertSource',
    method: 'get',
    route: '/api/alert-sources/:id',
    tag: 'Alert sources',
    summary: 'Get an alert source by id or integration key',
    path: { id: alertSourceIdSchema },
    security: [{ scopes: ['source'] }],
    responses: apiErrors({ '200': { description: 'The alert source', body: alertSourceSchema }, '404': { description: 'No such alert source in the token\'s account', body: apiErrorSchema } }),
  },
  {
    id: 'replaceAlertSource',
    method: 'put',
    route: '/api/alert-sources/:id',
    tag: 'Alert sources',
    summary: 'Replace an alert source',
    path: { id: alertSourceIdSchema },
    body: { schema: alertSourceBodySchema, types: ['json'] },
    security: [{ scopes: ['source:w'] }],
    responses: apiErrors({
      '200': { description: 'The updated alert source', body: alertSourceSchema },
      '400': { description: 'A field is missing or invalid', body: apiErrorSchema },
      '404': { description: 'No such alert source', body: apiErrorSchema },
    }),
  },
  {
    id: 'deleteAlertSource',
    method: 'delete',
    route: '/api/alert-sources/:id',
    tag: 'Alert sources',
    summary: 'Delete an alert source',
    path: { id: alertSourceIdSchema },
    security: [{ scopes: ['source:d'] }],
    responses: apiErrors({ '204': { description: 'Deleted' }, '404': { description: 'No such alert source', body: apiErrorSchema } }),
  },
  {
    id: 'healthz',
    method: 'get',
    route: '/healthz',
    tag: 'Operations',
    summary: 'Liveness: the process serves HTTP',
    security: ['none'],
    responses: { '200': { description: 'Up', body: healthSchema } },
  },
  {
    id: 'readyz',
    method: 'get',
    route: '/readyz',
    tag: 'Operations',
    summary: 'Readiness: database reachable, migrations current, keys loaded',
    security: ['none'],
    responses: { '200': { description: 'Ready', body: readinessSchema }, '503': { description: 'Not ready; the failing check says why', body: readinessSchema } },
  },
  {
    id: 'metrics',
    method: 'get',
    route: '/metrics',
    tag: 'Operations',
    summary: 'Prometheus metrics (only when GATEHOUSE_METRICS_TOKEN is set and no metrics port)',
    security: ['metricsToken'],
    responses: { '200': { description: 'Prometheus text format', body: 'text' }, '401': { description: 'Missing or wrong bearer token', body: 'text' } },
  },
];
