// The OAuth endpoints' parameters and answers as zod schemas: the routes read their parameters
// with these, and the OpenAPI document (src/ops/openapi.ts) is generated from the same objects.
// The answers are typed by the core; `same` makes the compiler hold schema and type together.
import { z } from 'zod';
import { AUTHORIZE_PARAM_NAMES } from '../oauth/authorize.ts';
import { GRANTS, GRANT_TYPES, grantParameters, type Grant } from '../oauth/grants/index.ts';
import type { Introspection } from '../oauth/introspect.ts';
import { PROMPT_VALUES } from '../oauth/prompt.ts';
import { ACR_PASSWORD } from '../oauth/acr.ts';
import { ASSERTION_SIGNING_ALGS } from '../oauth/client-assertion.ts';
import type { TokenResponse } from '../oauth/issue-tokens.ts';
import type { authorizationServerMetadata, protectedResourceMetadata } from '../oauth/metadata.ts';
import type { TokenInfo } from '../oauth/token-info.ts';
import type { FeedAnswer } from '../oauth/revocation-feed.ts';
import type { ResponseSpec } from '../docs/operation.ts';
import { paramsSchema } from './params.ts';
import { CSRF_FIELD } from './sessions.ts';

/** Compiles only when A and B are mutually assignable: a schema and the type the code produces cannot drift. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const same = <A, B>(proof: Same<A, B>): Same<A, B> => proof;

const CLIENT_ID = 'The app\'s client_id (or in HTTP Basic, or for the token endpoint in the query string)';
const CLIENT_SECRET = 'The app\'s client_secret (or in HTTP Basic); public clients send none';
/** private_key_jwt (RFC 7523): docs/client-authentication.md. Every client-authenticated endpoint reads these too. */
export const CLIENT_ASSERTION = {
  client_assertion: 'private_key_jwt (RFC 7523): a JWT the app signed (iss = sub = client_id, aud = the issuer or this endpoint, exp within 5 minutes, jti once); client_id may then be left out',
  client_assertion_type: 'With client_assertion: urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
};

/** The token request: grant_type, what each registered grant reads (grants/index.ts), and the client's credentials. */
export const tokenRequestSchema = paramsSchema({
  grant_type: GRANT_TYPES.join(' or '),
  ...grantParameters(),
  client_id: CLIENT_ID,
  client_secret: CLIENT_SECRET,
  ...CLIENT_ASSERTION,
}, ['grant_type']);

/**
 * The token request as the reference shows it: one shape per grant of the registry, each with the
 * parameters that grant reads and marks required (its `required`), so a reader sees that `code`
 * is required for authorization_code and `refresh_token` for refresh_token.
 */
export const tokenRequestByGrantSchema = z.discriminatedUnion(
  'grant_type',
  GRANTS.map((grant: Grant) =>
    z
      .object({
        grant_type: z.literal(grant.type).meta({ description: grant.title }),
        ...paramsSchema(grant.parameters, grant.required).shape,
        client_id: tokenRequestSchema.shape.client_id,
        client_secret: tokenRequestSchema.shape.client_secret,
        client_assertion: tokenRequestSchema.shape.client_assertion,
        client_assertion_type: tokenRequestSchema.shape.client_assertion_type,
      })
      .meta({ title: `grant_type=${grant.type}` }),
  ) as unknown as [z.ZodObject<{ grant_type: z.ZodLiteral<string> }>, ...z.ZodObject<{ grant_type: z.ZodLiteral<string> }>[]],
);

export const introspectionRequestSchema = paramsSchema({
  token: 'The access or refresh token to inspect',
  token_type_hint: 'access_token or refresh_token; optional, ignored',
  client_id: CLIENT_ID,
  client_secret: 'The app\'s client_secret (or in HTTP Basic); required unless it sends client_assertion',
  ...CLIENT_ASSERTION,
}, ['token']);

export const revocationFeedRequestSchema = paramsSchema({
  after: 'The cursor of the previous answer (c1.<number>); none: every revocation whose tokens may still be alive',
  wait: 'Seconds to wait for an entry when there is none yet (long polling), 0 to 30; more is read as 30',
  client_id: "The resource server's client id (rs_…), when not in HTTP Basic",
});

export const revocationFeedSchema = z
  .object({
    revocations: z.array(
      z.object({
        fid: z.string().meta({ description: 'The token family: refuse every access token whose fid claim is this' }),
        revoked_at: z.int().meta({ description: 'When, in seconds since the epoch' }),
        reason: z.string().meta({ description: 'Why, e.g. revoked_by_user, refresh_token_reuse, app_deleted, resource_deleted' }),
      }),
    ),
    cursor: z.string().meta({ description: 'Pass as `after` next time' }),
    has_more: z.boolean(),
    resource_deleted: z.boolean().meta({ description: 'The resource was deleted: refuse every token for it' }),
  })
  .meta({ title: 'RevocationFeed' });
same<z.output<typeof revocationFeedSchema>, FeedAnswer>(true);

export const tokenInfoRequestSchema = paramsSchema({ token: 'The access token (a JWT)' }, ['token']);

export const revokeRequestSchema = paramsSchema({
  token: 'A refresh token or an access token; revoking either ends its whole grant',
  token_type_hint: 'access_token or refresh_token; optional, ignored',
}, ['token']);

const AUTHORIZE_DESCRIPTIONS: Record<(typeof AUTHORIZE_PARAM_NAMES)[number], string> = {
  client_id: 'The app\'s client_id',
  redirect_uri: 'One of the app\'s registered redirect URIs, exactly',
  response_type: 'code',
  scope: 'Space-separated scopes, e.g. "profile source:w offline_access"',
  state: 'Opaque value returned unchanged in the redirect',
  code_challenge: 'PKCE: base64url(SHA-256(code_verifier)); required for apps without a secret',
  code_challenge_method: 'S256 (the only method)',
  resource: 'Optional, repeatable (RFC 8707): the identifier of each API the tokens are for; none: the app\'s default resource (the built-in API unless the app names another)',
  nonce: 'OpenID Connect: optional, at most 512 characters; echoed in the ID token',
  claims: 'OpenID Connect (Core §5.5): optional JSON object, at most 4 kB, whose userinfo and id_token members name individual claims to return, e.g. {"id_token":{"email":null}}; only with openid',
  prompt: 'Optional, space-separated: none (show nothing; redirect with login_required, consent_required or interaction_required instead), login (ask for the password again), consent (ask again even for a remembered grant), select_account (continue as the signed-in user or use another account)',
  max_age: 'OpenID Connect: optional, whole seconds (0 to 2147483647); a sign-in older than this is renewed (the password asked again; prompt=none: login_required). 0: always',
  login_hint: 'OpenID Connect: optional, at most 255 characters; prefills the sign-in form (username, or username@account); with a session of someone else, the page to choose an account (prompt=none: interaction_required)',
  id_token_hint: "OpenID Connect: optional, an ID token this server issued to this app (expired at most 60 seconds ago); with a session of another user, the sign-in form (prompt=none: login_required). Anything else: invalid_request",
  ui_locales: 'OpenID Connect: optional, space-separated language tags (BCP 47), at most 255 characters; accepted, the pages are in English',
  acr_values: `OpenID Connect: optional, space-separated, at most 1024 characters; voluntary: the sign-in is by password (${ACR_PASSWORD}) whatever is asked`,
  request: 'OpenID Connect request object: not supported (request_not_supported)',
  request_uri: 'Not supported (request_uri_not_supported)',
};
export const authorizeRequestSchema = paramsSchema(AUTHORIZE_DESCRIPTIONS, ['client_id', 'redirect_uri', 'response_type']);

/** The consent form posts the authorization request back with the user's decision. */
export const consentDecisionSchema = paramsSchema({
  decision: 'allow or deny',
  csrf: CSRF_FIELD,
}, ['decision', 'csrf']);
export const consentFormSchema = authorizeRequestSchema.extend(consentDecisionSchema.shape);

export const oauthErrorSchema = z
  .object({
    error: z.string().meta({ description: 'RFC 6749 error code', examples: ['invalid_grant'] }),
    error_description: z.string(),
    code: z.string().meta({ description: 'The same code, where ilert\'s clients read it' }),
  })
  .meta({ title: 'OAuthError' });

/** The errors every OAuth endpoint may answer besides its own, for the API reference. */
export const oauthErrors = (extra: Record<string, ResponseSpec> = {}): Record<string, ResponseSpec> => ({
  '400': { description: 'invalid_request, invalid_grant, unsupported_grant_type, invalid_scope, …', body: oauthErrorSchema },
  ...extra,
  '429': { description: 'Too many requests (temporarily_unavailable), with Retry-After', body: oauthErrorSchema },
  '503': { description: 'The database is unavailable (temporarily_unavailable), with Retry-After', body: oauthErrorSchema },
});

export const tokenResponseSchema = z
  .object({
    token_type: z.literal('Bearer'),
    access_token: z.string().meta({ description: 'RS256 JWT (RFC 9068)' }),
    expires_in: z.int().meta({ description: 'Seconds: 3600, or the resource\'s access-token lifetime' }),
    scope: z.string(),
    refresh_token: z.string().optional().meta({ description: 'ghr_…, when a secret was sent or offline_access granted' }),
    refresh_token_expires_in: z.int().optional(),
    id_token: z.string().optional().meta({ description: 'OpenID Connect ID token (a JWT), when the grant includes openid' }),
  })
  .meta({ title: 'TokenResponse' });
same<z.output<typeof tokenResponseSchema>, TokenResponse>(true);

export const tokenInfoSchema = z
  .union([
    z.object({ active: z.literal(true), tenant_id: z.string(), username: z.string(), scope: z.string(), app_id: z.int(), aud: z.string().meta({ description: 'The resource the token is for (RFC 8707): its identifier, e.g. the built-in API\'s {PUBLIC_URL}/api' }) }),
    z.object({ active: z.literal(true), tenant_id: z.string(), client_id: z.string().meta({ description: "An app's own token: its client_id instead of a user" }), scope: z.string(), app_id: z.int(), aud: z.string().meta({ description: 'The resource the token is for (RFC 8707): its identifier, e.g. the built-in API\'s {PUBLIC_URL}/api' }) }),
    z.object({ active: z.literal(false) }),
  ])
  .meta({ title: 'TokenInfo' });
same<z.output<typeof tokenInfoSchema>, TokenInfo>(true);

export const introspectionSchema = z
  .discriminatedUnion('active', [
    z.object({ active: z.literal(false) }),
    z.object({
      active: z.literal(true),
      token_type: z.enum(['Bearer', 'refresh_token']),
      scope: z.string(),
      client_id: z.string(),
      username: z.string().optional().meta({ description: "The user's; absent for an app's own token, whose sub is its client_id" }),
      sub: z.string(),
      exp: z.int(),
      iat: z.int(),
      iss: z.string(),
      aud: z.string().optional(),
      jti: z.string().optional(),
      tenant: z.string(),
      amr: z.array(z.string()).optional().meta({ description: 'How the user signed in (RFC 8176: pwd, otp, hwk, swk, mfa): access tokens from a browser sign-in only' }),
      acr: z.string().optional().meta({ description: 'The sign-in\'s class: urn:gatehouse:acr:pwd or urn:gatehouse:acr:mfa, alongside amr' }),
    }),
  ])
  .meta({ title: 'Introspection' });
same<z.output<typeof introspectionSchema>, Introspection>(true);

export const revokeResponseSchema = z.object({}).meta({ title: 'Revoked', description: 'Always {}' });

export const metadataSchema = z
  .object({
    issuer: z.string(),
    authorization_endpoint: z.string(),
    token_endpoint: z.string(),
    device_authorization_endpoint: z.string(),
    revocation_endpoint: z.string(),
    introspection_endpoint: z.string(),
    introspection_endpoint_auth_methods_supported: z.array(z.string()),
    introspection_endpoint_auth_signing_alg_values_supported: z.array(z.enum(ASSERTION_SIGNING_ALGS)),
    revocation_feed_endpoint: z.string().meta({ description: 'Gatehouse extension: where resource servers follow revocations (GET, their own credentials)' }),
    jwks_uri: z.string(),
    registration_endpoint: z.string().optional().meta({ description: 'RFC 7591 dynamic client registration; present only when GATEHOUSE_REGISTRATION is token or open' }),
    scopes_supported: z.array(z.string()),
    response_types_supported: z.array(z.string()),
    response_modes_supported: z.array(z.string()),
    grant_types_supported: z.array(z.enum(GRANT_TYPES)),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    token_endpoint_auth_signing_alg_values_supported: z.array(z.enum(ASSERTION_SIGNING_ALGS)),
    revocation_endpoint_auth_methods_supported: z.array(z.string()),
    code_challenge_methods_supported: z.array(z.string()),
    authorization_response_iss_parameter_supported: z.boolean(),
    client_id_metadata_document_supported: z.boolean().meta({ description: 'An https URL with a path may be the client_id: the URL of the client\'s metadata document (docs/client-metadata-documents.md)' }),
    prompt_values_supported: z.array(z.enum(PROMPT_VALUES)),
    protected_resources: z.array(z.string()),
  })
  .meta({ title: 'AuthorizationServerMetadata' });
same<z.output<typeof metadataSchema>, ReturnType<typeof authorizationServerMetadata>>(true);

export const protectedResourceMetadataSchema = z
  .object({
    resource: z.string().meta({ description: "The API's identifier: the `aud` of the access tokens it accepts" }),
    authorization_servers: z.array(z.string()).meta({ description: 'Issuers whose tokens the API accepts (this server)' }),
    jwks_uri: z.string(),
    scopes_supported: z.array(z.string()),
    bearer_methods_supported: z.array(z.literal('header')).meta({ description: 'Tokens only in the Authorization header' }),
    resource_name: z.string(),
    resource_documentation: z.string(),
  })
  .meta({ title: 'ProtectedResourceMetadata', description: 'RFC 9728 protected resource metadata of the built-in API' });
same<z.output<typeof protectedResourceMetadataSchema>, ReturnType<typeof protectedResourceMetadata>>(true);

export const jwksSchema = z
  .object({
    keys: z.array(
      z.looseObject({
        kty: z.string(),
        kid: z.string(),
        alg: z.string(),
        use: z.literal('sig'),
      }),
    ),
  })
  .meta({ title: 'JWKS', description: 'Public keys (RFC 7517); each also carries its key parameters (n and e, or crv and x)' });
