// The authorization endpoint's steps: check client and redirect URI (errors shown, never
// redirected), validate the rest (errors redirected), then consent and issue a code.
import { randomBytes } from 'node:crypto';
import type { App } from '../domain/app.ts';
import type { User } from '../domain/identity.ts';
import { secondsFrom, type OAuthContext } from './context.ts';
import { OAuthError, invalidRequest, invalidScope } from './errors.ts';
import { isCovered, mergeGranted, resourceScopesOf, scopeString, splitScope, type GrantScope } from './grant-scope.ts';
import { parseCodeChallenge } from './pkce.ts';
import { matchesRegisteredUri } from './redirect-uri.ts';
import { resolveClientOrReason } from './client-documents/resolve-client.ts';
import { requestedResources } from './resources.ts';
import { TOKEN_PREFIX, randomToken, sha256Hex } from './secrets.ts';
import { MAX_NONCE_LENGTH } from './id-token.ts';
import type { RequestedClaims, SignInSession } from '../domain/tokens.ts';
import { parseClaimsRequest } from './claims-request.ts';
import { hasOpenId } from './oidc-scopes.ts';

export interface AuthorizeParams {
  client_id?: string;
  redirect_uri?: string;
  response_type?: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
  prompt?: string;
  /** RFC 8707, repeatable: the resources the tokens are for (the app's default when none). */
  resource?: readonly string[];
  /** OpenID Connect: echoed in the ID token (optional for the code flow). */
  nonce?: string;
  /** OpenID Connect's authentication request parameters (authentication-params.ts). */
  max_age?: string;
  login_hint?: string;
  id_token_hint?: string;
  ui_locales?: string;
  acr_values?: string;
  /** OpenID Connect request objects (Core §6): not supported, refused rather than ignored. */
  request?: string;
  request_uri?: string;
  /** OpenID Connect: individual claims to return, JSON (Core §5.5, claims-request.ts). */
  claims?: string;
}

export const AUTHORIZE_PARAM_NAMES = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'resource',
  'nonce',
  'max_age',
  'login_hint',
  'id_token_hint',
  'ui_locales',
  'acr_values',
  'request',
  'request_uri',
  'claims',
] as const;

export interface AuthorizationRequest {
  app: App;
  redirectUri: string;
  /** What is asked for, resource by resource. */
  scopes: GrantScope;
  state?: string;
  codeChallenge?: string;
  nonce?: string;
  /** The individual claims asked for (only with `openid`; a request without it ignores the parameter, as before). */
  claims?: RequestedClaims;
}

export type ClientCheck = { ok: true; app: App; redirectUri: string } | { ok: false; reason: string };

/** Step 1: without a known client and a registered redirect URI there is nowhere safe to go. */
export async function checkClientAndRedirect(params: AuthorizeParams, ctx: OAuthContext): Promise<ClientCheck> {
  if (params.client_id === undefined) return { ok: false, reason: 'The request has no client_id.' };
  const resolved = await resolveClientOrReason(params.client_id, ctx);
  if ('reason' in resolved) return { ok: false, reason: resolved.reason };
  const { app } = resolved;
  if (app.disabledAt !== null) return { ok: false, reason: 'This app is disabled: it cannot ask for access now. An admin of its account can enable it again.' };
  if (params.redirect_uri === undefined) return { ok: false, reason: 'The request has no redirect_uri.' };
  // A metadata document's redirect URIs are matched exactly, loopback ports included.
  const registered = app.registration === 'metadata_document' ? app.redirectUris.includes(params.redirect_uri) : matchesRegisteredUri(app.redirectUris, params.redirect_uri);
  if (!registered) {
    return { ok: false, reason: 'The redirect_uri is not one of the redirect URLs registered for this app.' };
  }
  return { ok: true, app, redirectUri: params.redirect_uri };
}

/** Step 2: the rest of the request; failures go back to the redirect URI. */
export async function validateAuthorizationRequest(
  params: AuthorizeParams,
  client: { app: App; redirectUri: string },
  ctx: OAuthContext,
  problem?: OAuthError,
): Promise<AuthorizationRequest> {
  if (problem) throw problem;
  // A request object would carry parameters that override these: ignoring it would ignore what the client asked.
  if (params.request !== undefined) throw new OAuthError('request_not_supported', 'Request objects (the request parameter) are not supported: send the parameters themselves');
  if (params.request_uri !== undefined) throw new OAuthError('request_uri_not_supported', 'request_uri is not supported: send the parameters themselves');
  if (params.response_type === undefined) throw invalidRequest('response_type is required');
  if (params.response_type !== 'code') {
    throw new OAuthError('unsupported_response_type', 'Only response_type=code is supported');
  }
  if (!client.app.grantTypes.includes('authorization_code')) {
    throw new OAuthError('unauthorized_client', 'This app may not use the authorization code flow (see its allowed grant types)');
  }
  if (params.scope === undefined) throw invalidScope('scope is required, e.g. "profile source:w"');
  const { resources, named } = await requestedResources(params.resource ?? [], client.app, ctx);
  const scopes = splitScope(params.scope, resources, named);
  const codeChallenge = parseCodeChallenge(params.code_challenge, params.code_challenge_method);
  // A public client could never redeem a code without PKCE: say so now, not at the token endpoint.
  if (codeChallenge === undefined && client.app.tokenEndpointAuthMethod === 'none') throw invalidRequest('This app is a public client (token_endpoint_auth_method none): code_challenge (PKCE S256) is required');
  if (params.nonce !== undefined && params.nonce.length > MAX_NONCE_LENGTH) throw invalidRequest(`nonce must be at most ${MAX_NONCE_LENGTH} characters`);
  const claims = hasOpenId(params.scope) ? parseClaimsRequest(params.claims) : undefined;
  return { app: client.app, redirectUri: client.redirectUri, scopes, state: params.state, codeChallenge, ...(params.nonce === undefined ? {} : { nonce: params.nonce }), ...(claims ? { claims } : {}) };
}

/** Step 3: an app limited to its account serves only users of its owner tenant. */
export function checkUserMayAuthorize(app: App, user: User): void {
  if (app.limitToAccount && app.tenantId !== user.tenantId) {
    throw new OAuthError('access_denied', 'This app is limited to the users of the account that registered it');
  }
}

/** Whether the user already granted everything asked for, so consent can be skipped. */
export async function hasConsent(req: AuthorizationRequest, userId: number, ctx: OAuthContext): Promise<boolean> {
  const grant = await ctx.store.grants.find(userId, req.app.id);
  return grant !== undefined && isCovered(req.scopes, grant);
}

export async function recordConsent(req: AuthorizationRequest, userId: number, clientDescription: string, ctx: OAuthContext) {
  await ctx.store.grants.upsert(
    { userId, appId: req.app.id, scope: scopeString(req.scopes), resources: resourceScopesOf(req.scopes), clientDescription },
    ctx.clock.now(),
    mergeGranted(req.scopes),
  );
}

/** Step 4: a single-use code bound to client, user, redirect URI, scope and challenge (and, for OpenID Connect, the nonce and the sign-in). */
export async function issueAuthorizationCode(req: AuthorizationRequest, userId: number, ctx: OAuthContext, session?: SignInSession): Promise<string> {
  const now = ctx.clock.now();
  const code = randomToken(TOKEN_PREFIX.authorizationCode);
  const familyId = randomBytes(16).toString('hex');
  const scope = scopeString(req.scopes);
  const resources = resourceScopesOf(req.scopes);
  await ctx.store.codes.issue(
    {
      codeHash: sha256Hex(code),
      appId: req.app.id,
      userId,
      redirectUri: req.redirectUri,
      scope,
      resources,
      codeChallenge: req.codeChallenge ?? null,
      familyId,
      createdAt: now,
      expiresAt: secondsFrom(now, ctx.lifetimes.code),
      nonce: req.nonce ?? null,
      session: session ?? null,
      claims: req.claims ?? null,
    },
    { id: familyId, appId: req.app.id, userId, scope, resources, confidential: false, createdAt: now, session: session ?? null, claims: req.claims ?? null },
  );
  return code;
}

/** The redirect back to the client: its URI plus our parameters, `state` byte for byte, `iss` always. */
export function authorizationResponseUrl(redirectUri: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.append(name, value);
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${query.toString()}`;
}

export function errorResponseUrl(redirectUri: string, error: OAuthError, state: string | undefined, issuer: string): string {
  return authorizationResponseUrl(redirectUri, {
    error: error.code,
    error_description: error.description,
    state,
    iss: issuer,
  });
}
