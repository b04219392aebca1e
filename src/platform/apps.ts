// Registering apps: a 20-hex client id, a 64-hex secret shown once and stored only as its hash,
// a unique name, redirect URIs that pass the same rules authorize enforces, and a refresh-token
// rotation policy ('public' unless told otherwise), and the grant types it may use (ilert's two
// unless told otherwise), and the resource its token requests that name none are for (the
// built-in API unless told otherwise), and its OpenID Connect settings (none, public subjects,
// unless told otherwise).
import { BUILT_IN_RESOURCE_ID } from '../domain/resource-server.ts';
import { DEFAULT_GRANT_TYPES, REFRESH_ROTATIONS, type App, type RefreshRotation, type SubjectType } from '../domain/app.ts';
import { GRANT_TYPES, isGrantType } from '../oauth/grants/index.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { redirectUriProblem } from '../oauth/redirect-uri.ts';
import { oidcSettingsProblems } from '../oauth/oidc-client-settings.ts';
import { randomHex, sha256Hex } from '../oauth/secrets.ts';
import { authMethodProblems, usesClientSecret, type AuthMethodSettings } from './app-auth-method.ts';
import { resolveServiceScopes, type ServiceScopeChoice } from './service-scopes.ts';

export interface AppRegistration {
  tenantId: number;
  name: string;
  description?: string;
  redirectUris: string[];
  limitToAccount?: boolean;
  /** Default 'public': refreshes without the client secret rotate the refresh token. */
  refreshRotation?: RefreshRotation;
  /** The grant types it may use; default ilert's two (authorization_code, refresh_token). */
  grantTypes?: string[];
  /** The resource a token request that names none is for; null or absent: the built-in API. */
  defaultResourceId?: number | null;
  /** How it authenticates (app-auth-method.ts); absent or null: ilert's rule. none and private_key_jwt apps get no secret. */
  tokenEndpointAuthMethod?: AuthMethodSettings['tokenEndpointAuthMethod'];
  /** private_key_jwt: its public keys, or where it publishes them (exactly one). */
  jwks?: AuthMethodSettings['jwks'];
  jwksUri?: AuthMethodSettings['jwksUri'];
  /** What client_credentials may ask, per resource (service-scopes.ts); default none. */
  serviceScopes?: ServiceScopeChoice[];
  /** OpenID Connect (oauth/oidc-client-settings.ts): where logout may send the browser back to; default none. */
  postLogoutRedirectUris?: string[];
  /** Where back-channel logout tokens go; default none. */
  backchannelLogoutUri?: string | null;
  /** Default 'public'; 'pairwise' needs every redirect URI on one host. */
  subjectType?: SubjectType;
}

/** What registerApp returns as the secret: a string unless the registration may name a method without one. */
type SecretOf<I> = 'tokenEndpointAuthMethod' extends keyof I ? string | null : string;

/** One broken rule; `field` names the form field at fault. */
export interface Problem {
  message: string;
  field?: string;
}

/**
 * A registration or change that breaks rules: every problem found (so a form can show them all at
 * once); the message and field are the first one's.
 */
export class RegistrationError extends Error {
  readonly field?: string;
  readonly problems: readonly Problem[];

  constructor(message: string, field?: string, others: readonly Problem[] = []) {
    super([message, ...others.map((p) => p.message)].join('; '));
    this.field = field;
    this.problems = [{ message, field }, ...others];
  }

  /** The error for a non-empty list of problems. */
  static of(problems: readonly [Problem, ...Problem[]]): RegistrationError {
    const [first, ...others] = problems;
    return new RegistrationError(first.message, first.field, others);
  }
}

export const throwIfAny = (problems: Problem[]): void => {
  const [first, ...others] = problems;
  if (first) throw RegistrationError.of([first, ...others]);
};

export function checkAppRegistration(input: AppRegistration): void {
  throwIfAny(appRegistrationProblems(input));
}

/** Everything wrong with a registration, name included. */
export function appRegistrationProblems(input: AppRegistration): Problem[] {
  const name = input.name.trim();
  const nameProblem = name.length < 1 || name.length > 100 ? [{ message: 'The name must be 1 to 100 characters', field: 'name' }] : [];
  return [...nameProblem, ...appSettingsProblems(input)];
}

/** Everything wrong with an app's settings (the rules for what can change after registration too), each redirect URL named with its own problem. */
export function appSettingsProblems(input: Omit<AppRegistration, 'tenantId' | 'name'>): Problem[] {
  const problems: Problem[] = [];
  if ((input.description ?? '').length > 2000) problems.push({ message: 'The description must be at most 2000 characters', field: 'description' });
  // A service that only uses client_credentials sends nobody anywhere.
  const redirects = input.grantTypes === undefined || input.grantTypes.includes('authorization_code');
  if (redirects && input.redirectUris.length === 0) problems.push({ message: 'At least one redirect URL is required', field: 'redirectUris' });
  if (input.redirectUris.length > 20) problems.push({ message: 'At most 20 redirect URLs are allowed', field: 'redirectUris' });
  for (const uri of input.redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) problems.push({ message: `Redirect URL ${JSON.stringify(uri)} ${problem}`, field: 'redirectUris' });
  }
  if (input.refreshRotation !== undefined && !REFRESH_ROTATIONS.includes(input.refreshRotation)) {
    problems.push({ message: `The refresh-token rotation must be one of ${REFRESH_ROTATIONS.join(', ')}`, field: 'refreshRotation' });
  }
  if (input.grantTypes !== undefined) problems.push(...grantTypeProblems(input.grantTypes));
  problems.push(...oidcSettingsProblems(input, input.redirectUris));
  if (input.tokenEndpointAuthMethod !== undefined || input.jwks !== undefined || input.jwksUri !== undefined) {
    problems.push(...authMethodProblems({ tokenEndpointAuthMethod: input.tokenEndpointAuthMethod ?? null, jwks: input.jwks ?? null, jwksUri: input.jwksUri ?? null }));
  }
  // A public client cannot prove who it is, and a client_credentials token is nothing but that.
  if (input.tokenEndpointAuthMethod === 'none' && input.grantTypes?.includes('client_credentials')) {
    problems.push({ message: 'client_credentials needs a client that authenticates: choose a client secret method or private_key_jwt, not none', field: 'grantTypes' });
  }
  return problems;
}

/** Grant types must be ones the token endpoint serves (the grant registry), at least one. */
function grantTypeProblems(types: readonly string[]): Problem[] {
  if (types.length === 0) return [{ message: 'Choose at least one grant type', field: 'grantTypes' }];
  const unknown = types.filter((type) => !isGrantType(type));
  return unknown.length > 0 ? [{ message: `Unknown grant type ${unknown.join(', ')}; the grant types are ${GRANT_TYPES.join(', ')}`, field: 'grantTypes' }] : [];
}

/** The built-in API is stored as null (its row may be named by id 1 too). */
export const storedDefaultResource = (id: number | null | undefined): number | null => (id === undefined || id === BUILT_IN_RESOURCE_ID ? null : id);

/** A default resource must be a live resource; a deleted one is refused like an unknown one. */
export async function defaultResourceProblems(id: number | null | undefined, ctx: OAuthContext): Promise<Problem[]> {
  const stored = storedDefaultResource(id);
  if (stored === null || (await ctx.store.resourceServers.byId(stored))) return [];
  return [{ message: `There is no resource with id ${stored}; choose one of the registered resources`, field: 'defaultResourceId' }];
}

export async function registerApp<I extends AppRegistration>(input: I, ctx: OAuthContext): Promise<{ app: App; clientSecret: SecretOf<I> }> {
  const name = input.name.trim();
  const service = await resolveServiceScopes(input.serviceScopes ?? [], ctx);
  const problems = [...appRegistrationProblems(input), ...(await defaultResourceProblems(input.defaultResourceId, ctx)), ...service.problems];
  if (name !== '' && (await ctx.store.apps.byName(name))) problems.unshift({ message: `An app named "${name}" already exists; app names are unique`, field: 'name' });
  throwIfAny(problems);
  const method = input.tokenEndpointAuthMethod ?? null;
  // A public client and a private_key_jwt client have no secret: nothing to leak, nothing to show.
  const clientSecret = usesClientSecret(method) ? randomHex(32) : null;
  const app = await ctx.store.apps.create(
    {
      tenantId: input.tenantId,
      clientId: randomHex(10),
      clientSecretHash: clientSecret === null ? null : sha256Hex(clientSecret),
      tokenEndpointAuthMethod: method,
      jwks: method === 'private_key_jwt' ? (input.jwks ?? null) : null,
      jwksUri: method === 'private_key_jwt' ? (input.jwksUri ?? null) : null,
      name,
      description: input.description ?? '',
      redirectUris: [...new Set(input.redirectUris)],
      limitToAccount: input.limitToAccount ?? false,
      refreshRotation: input.refreshRotation ?? 'public',
      grantTypes: [...new Set(input.grantTypes ?? DEFAULT_GRANT_TYPES)],
      defaultResourceId: storedDefaultResource(input.defaultResourceId),
      serviceScopes: service.scopes,
      postLogoutRedirectUris: [...new Set(input.postLogoutRedirectUris ?? [])],
      backchannelLogoutUri: input.backchannelLogoutUri ?? null,
      subjectType: input.subjectType ?? 'public',
    },
    ctx.clock.now(),
  );
  return { app, clientSecret: clientSecret as SecretOf<I> };
}
