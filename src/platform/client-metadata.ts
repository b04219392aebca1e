// RFC 7591 client metadata → what Gatehouse registers for a client that registers itself, with
// the console's redirect-URI rules (oauth/redirect-uri.ts) and limits. Each problem is an
// invalid_redirect_uri or invalid_client_metadata naming the field; nothing is stored until the
// whole document passed. Unknown fields are ignored (RFC 7591 §2), as are `scope` (the consent
// decides what a client gets) and software statements, so the answer does not claim them. The
// OpenID Connect fields (post_logout_redirect_uris, backchannel_logout_uri,
// backchannel_logout_session_required, subject_type) follow the rules of every app's.
import type { ClientMetadata, JsonWebKeySet, TokenEndpointAuthMethod } from '../domain/app.ts';
import { TOKEN_ENDPOINT_AUTH_METHODS } from '../domain/app.ts';
import { OAuthError } from '../oauth/errors.ts';
import { GRANT_TYPES, isGrantType } from '../oauth/grants/index.ts';
import { redirectUriProblem } from '../oauth/redirect-uri.ts';
import { METADATA_LABELS, isSubjectType, oidcSettingsProblems, type OidcClientSettings } from '../oauth/oidc-client-settings.ts';
import { jwksProblem } from './client-jwks.ts';

/** The console's limit (platform/apps.ts); a self-registered client gets no more. */
export const MAX_REDIRECT_URIS = 20;
const MAX_TEXT = 200;
const MAX_URL = 2000;
const MAX_CONTACTS = 10;
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
/**
 * What a client of no account may use. client_credentials is for an account's own services (its
 * tokens act for the owner account), so a client that registered itself, owned by none, cannot.
 */
const DYNAMIC_GRANT_TYPES = new Set(['authorization_code', 'refresh_token', DEVICE_CODE]);

/** What a valid metadata document registers. */
export interface ClientRegistration {
  name: string;
  redirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  grantTypes: string[];
  jwks: JsonWebKeySet | null;
  /** Always null: self-registered clients' keys come inline (see keys()). */
  jwksUri: null;
  clientMetadata: ClientMetadata;
  /** OpenID Connect's settings (oauth/oidc-client-settings.ts). */
  oidc: OidcClientSettings;
}

/** Whether the method authenticates with a client secret (then one is issued). */
export const usesSecret = (method: TokenEndpointAuthMethod | null): boolean => method === 'client_secret_basic' || method === 'client_secret_post';

/** The response types that go with the grant types (RFC 7591 §2.1): `code` exactly with authorization_code. */
export const responseTypesFor = (grantTypes: readonly string[]): string[] => (grantTypes.includes('authorization_code') ? ['code'] : []);

const badMetadata = (description: string) => new OAuthError('invalid_client_metadata', description);
const badRedirect = (description: string) => new OAuthError('invalid_redirect_uri', description);

type Doc = Record<string, unknown>;

/** A field's value, null counting as absent (RFC 7592 §2.2: an omitted or null field is removed). */
const field = (doc: Doc, name: string): unknown => (doc[name] === null ? undefined : doc[name]);

function text(doc: Doc, name: string, max = MAX_TEXT): string | undefined {
  const value = field(doc, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.includes('\0')) throw badMetadata(`${name} must be a string`);
  if (value.length > max) throw badMetadata(`${name} must be at most ${max} characters`);
  return value.trim() === '' ? undefined : value;
}

function strings(doc: Doc, name: string, problem: (message: string) => OAuthError = badMetadata): string[] | undefined {
  const value = field(doc, name);
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw problem(`${name} must be an array of strings`);
  return [...new Set(value as string[])];
}

/** A web page or image of the client's: https (http only on loopback, as for redirect URIs), no fragment or credentials. */
function webUrl(doc: Doc, name: string): string | undefined {
  const value = text(doc, name, MAX_URL);
  if (value === undefined) return undefined;
  const problem = redirectUriProblem(value);
  let scheme = '';
  try {
    scheme = new URL(value).protocol;
  } catch {
    // redirectUriProblem says so.
  }
  if (problem) throw badMetadata(`${name} ${problem}`);
  if (scheme !== 'https:' && scheme !== 'http:') throw badMetadata(`${name} must be an https URL`);
  return value;
}

function redirectUris(doc: Doc, needed: boolean): string[] {
  const uris = strings(doc, 'redirect_uris', badRedirect) ?? [];
  if (needed && uris.length === 0) throw badRedirect('redirect_uris is required for the authorization_code grant: name at least one');
  if (uris.length > MAX_REDIRECT_URIS) throw badRedirect(`redirect_uris may hold at most ${MAX_REDIRECT_URIS} URIs`);
  uris.forEach((uri, i) => {
    const problem = redirectUriProblem(uri);
    if (problem) throw badRedirect(`redirect_uris[${i}] ${JSON.stringify(uri.slice(0, 100))} ${problem}`);
  });
  return uris;
}

function grantTypes(doc: Doc): string[] {
  const types = strings(doc, 'grant_types') ?? ['authorization_code'];
  if (types.length === 0) throw badMetadata('grant_types must name at least one grant type');
  for (const type of types) {
    if (!isGrantType(type)) throw badMetadata(`grant_types: this server has no grant type ${JSON.stringify(type.slice(0, 100))}; it supports ${GRANT_TYPES.join(', ')}`);
    if (!DYNAMIC_GRANT_TYPES.has(type)) throw badMetadata(`grant_types: ${type} is not available to a client that registers itself: it belongs to no account to act for`);
  }
  if (!types.includes('authorization_code') && !types.includes(DEVICE_CODE)) throw badMetadata('grant_types: refresh_token alone gets no tokens; add authorization_code');
  return types;
}

function responseTypes(doc: Doc, grants: string[]): void {
  const types = strings(doc, 'response_types');
  if (types === undefined) return;
  const unknown = types.find((type) => type !== 'code');
  if (unknown !== undefined) throw badMetadata(`response_types: ${JSON.stringify(unknown.slice(0, 100))} is not supported; the only response type is code`);
  if (types.includes('code') !== grants.includes('authorization_code')) {
    throw badMetadata('response_types and grant_types disagree: response type code goes with grant type authorization_code, and only with it');
  }
}

function authMethod(doc: Doc, supported: readonly string[]): TokenEndpointAuthMethod {
  const value = field(doc, 'token_endpoint_auth_method');
  if (value === undefined) return 'client_secret_basic'; // RFC 7591 §2's default
  // Only what the token endpoint verifies (discovery's token_endpoint_auth_methods_supported).
  const methods = TOKEN_ENDPOINT_AUTH_METHODS.filter((method) => supported.includes(method));
  if (typeof value !== 'string' || !(methods as readonly string[]).includes(value)) {
    throw badMetadata(`token_endpoint_auth_method must be one of ${methods.join(', ')}`);
  }
  return value as TokenEndpointAuthMethod;
}

function keys(doc: Doc, method: TokenEndpointAuthMethod): Pick<ClientRegistration, 'jwks' | 'jwksUri'> {
  const jwks = field(doc, 'jwks');
  const jwksUri = field(doc, 'jwks_uri');
  if (jwks !== undefined && jwksUri !== undefined) throw badMetadata('jwks and jwks_uri must not both be present');
  // Keys matter only to private_key_jwt here; for other methods they are not registered.
  if (method !== 'private_key_jwt') return { jwks: null, jwksUri: null };
  if (jwks === undefined && jwksUri === undefined) throw badMetadata('private_key_jwt needs the public keys, inline in jwks');
  // Fetching a URL that anyone may register would let anyone make this server request addresses
  // of their choosing (an internal host, a cloud metadata service): keys come inline.
  if (jwksUri !== undefined) throw badMetadata('jwks_uri is not accepted from a client that registers itself; send the public keys inline in jwks');
  const problem = jwksProblem(jwks);
  if (problem) throw badMetadata(`jwks ${problem}`);
  return { jwks: jwks as JsonWebKeySet, jwksUri: null };
}

/** post_logout_redirect_uris, backchannel_logout_uri and subject_type, by the rules every app's follow. */
function oidcSettings(doc: Doc, redirects: readonly string[]): OidcClientSettings {
  const subjectType = field(doc, 'subject_type') ?? 'public';
  if (!isSubjectType(subjectType)) throw badMetadata('subject_type must be public or pairwise');
  const settings: OidcClientSettings = {
    postLogoutRedirectUris: strings(doc, 'post_logout_redirect_uris') ?? [],
    backchannelLogoutUri: text(doc, 'backchannel_logout_uri', MAX_URL) ?? null,
    subjectType,
  };
  const [problem] = oidcSettingsProblems(settings, redirects, METADATA_LABELS);
  if (problem) throw badMetadata(problem.message);
  return settings;
}

function descriptive(doc: Doc): ClientMetadata {
  const contacts = strings(doc, 'contacts');
  if (contacts && contacts.length > MAX_CONTACTS) throw badMetadata(`contacts may hold at most ${MAX_CONTACTS} addresses`);
  for (const contact of contacts ?? []) {
    if (contact.length > MAX_TEXT || !/^[^\s@]+@[^\s@]+$/.test(contact)) throw badMetadata('contacts must be e-mail addresses');
  }
  const sessionRequired = field(doc, 'backchannel_logout_session_required');
  if (sessionRequired !== undefined && typeof sessionRequired !== 'boolean') throw badMetadata('backchannel_logout_session_required must be true or false');
  const applicationType = field(doc, 'application_type');
  if (applicationType !== undefined && applicationType !== 'web' && applicationType !== 'native') throw badMetadata('application_type must be web or native');
  const metadata: ClientMetadata = {
    clientUri: webUrl(doc, 'client_uri'),
    logoUri: webUrl(doc, 'logo_uri'),
    tosUri: webUrl(doc, 'tos_uri'),
    policyUri: webUrl(doc, 'policy_uri'),
    contacts: contacts && contacts.length > 0 ? contacts : undefined,
    softwareId: text(doc, 'software_id'),
    softwareVersion: text(doc, 'software_version'),
    applicationType: (applicationType as ClientMetadata['applicationType']) ?? 'web',
    backchannelLogoutSessionRequired: sessionRequired as boolean | undefined,
  };
  return Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== undefined)) as ClientMetadata;
}

/**
 * A client's metadata document as Gatehouse registers it, or the first problem as an OAuthError.
 * `authMethods`: the token endpoint's methods (discovery's token_endpoint_auth_methods_supported).
 */
export function readClientMetadata(body: unknown, authMethods: readonly string[]): ClientRegistration {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badMetadata('The client metadata must be a JSON object');
  const doc = body as Doc;
  const grants = grantTypes(doc);
  responseTypes(doc, grants);
  const uris = redirectUris(doc, grants.includes('authorization_code'));
  const method = authMethod(doc, authMethods);
  const name = text(doc, 'client_name', 100)?.trim();
  return {
    name: name ?? 'Unnamed client',
    redirectUris: uris,
    tokenEndpointAuthMethod: method,
    grantTypes: grants,
    ...keys(doc, method),
    clientMetadata: descriptive(doc),
    oidc: oidcSettings(doc, uris),
  };
}
