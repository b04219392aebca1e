// A fetched client ID metadata document, checked as the draft and our own rules require: its
// client_id is the URL it came from, exactly; redirect URIs follow the console's rules; no shared
// secret of any kind (auth method `none`, or `private_key_jwt` with public keys); descriptive
// fields are optional but, when present, well formed, and so are the OpenID Connect ones
// (post-logout and back-channel logout URIs, subject type). The first problem is named with its field.
import type { ClientMetadata, JsonWebKeySet } from '../../domain/app.ts';
import { redirectUriProblem } from '../redirect-uri.ts';
import { METADATA_LABELS, isSubjectType, oidcSettingsProblems, type OidcClientSettings } from '../oidc-client-settings.ts';

export type DocumentAuthMethod = 'none' | 'private_key_jwt';

export interface ClientDocument {
  clientId: string;
  /** client_name, or the URL's host when it has none. */
  name: string;
  redirectUris: string[];
  tokenEndpointAuthMethod: DocumentAuthMethod;
  jwks: JsonWebKeySet | null;
  jwksUri: string | null;
  grantTypes: string[];
  metadata: ClientMetadata;
  /** OpenID Connect's settings, by the rules every app's follow (oidc-client-settings.ts). */
  oidc: OidcClientSettings;
}

export class DocumentProblem extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DocumentProblem';
  }
}

const MAX_REDIRECT_URIS = 10;
const MAX_NAME = 100;
/** The grants a client without a shared secret may use; client_credentials needs an account, which a document has not. */
const DOCUMENT_GRANT_TYPES = ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'];
/** Members of a JWK that only a private or symmetric key has. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const SECRET_FIELDS = ['client_secret', 'client_secret_expires_at'];

const fail = (reason: string): never => {
  throw new DocumentProblem(reason);
};

function optionalString(doc: Record<string, unknown>, field: string, max = 2000): string | undefined {
  const value = doc[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max) return fail(`${field} must be a string of at most ${max} characters`);
  return value;
}

function optionalHttpsUrl(doc: Record<string, unknown>, field: string): string | undefined {
  const value = optionalString(doc, field);
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:') fail(`${field} must be an https URL`);
  return value;
}

function stringList(doc: Record<string, unknown>, field: string, max: number): string[] | undefined {
  const value = doc[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > max || value.some((v) => typeof v !== 'string' || v.length > 2000)) {
    return fail(`${field} must be a list of at most ${max} strings`);
  }
  return value as string[];
}

function redirectUris(doc: Record<string, unknown>, grants: readonly string[]): string[] {
  const uris = stringList(doc, 'redirect_uris', MAX_REDIRECT_URIS);
  // A device-flow client (a CLI) is never redirected: it may list none.
  if ((uris === undefined || uris.length === 0) && !grants.includes('authorization_code')) return [];
  if (uris === undefined || uris.length === 0) fail('redirect_uris is required: the URLs the client may be sent back to');
  for (const uri of uris ?? []) {
    const problem = redirectUriProblem(uri);
    if (problem) fail(`redirect_uris: ${uri} ${problem}`);
  }
  return [...new Set(uris)];
}

function keys(doc: Record<string, unknown>, method: DocumentAuthMethod): Pick<ClientDocument, 'jwks' | 'jwksUri'> {
  const jwksUri = optionalHttpsUrl(doc, 'jwks_uri') ?? null;
  const raw = doc.jwks;
  let jwks: ClientDocument['jwks'] = null;
  if (raw !== undefined && raw !== null) {
    const list = (raw as { keys?: unknown }).keys;
    if (typeof raw !== 'object' || !Array.isArray(list) || list.length === 0 || list.length > 10 || list.some((k) => k === null || typeof k !== 'object' || Array.isArray(k))) {
      fail('jwks must be a JSON Web Key Set: {"keys": [...]} with 1 to 10 keys');
    }
    const jwkList = list as Record<string, unknown>[];
    if (jwkList.some((k) => PRIVATE_JWK_MEMBERS.some((member) => member in k))) fail('jwks must hold public keys only; it holds a private or symmetric key');
    jwks = { keys: jwkList };
  }
  if (jwks && jwksUri) fail('jwks and jwks_uri must not both be given');
  if (method === 'private_key_jwt' && !jwks && !jwksUri) fail('token_endpoint_auth_method private_key_jwt needs jwks or jwks_uri');
  return { jwks, jwksUri };
}

function grantTypes(doc: Record<string, unknown>): string[] {
  const listed = stringList(doc, 'grant_types', 10) ?? ['authorization_code', 'refresh_token'];
  const unsupported = listed.filter((type) => !DOCUMENT_GRANT_TYPES.includes(type));
  if (unsupported.length > 0) fail(`grant_types: ${unsupported.join(', ')} cannot be used by a client ID metadata document client (only ${DOCUMENT_GRANT_TYPES.join(', ')})`);
  const responseTypes = stringList(doc, 'response_types', 10);
  if (responseTypes && responseTypes.some((type) => type !== 'code')) fail('response_types may only be ["code"]');
  return [...new Set(listed)];
}

function applicationType(doc: Record<string, unknown>): 'web' | 'native' | undefined {
  const value = optionalString(doc, 'application_type');
  if (value !== undefined && value !== 'web' && value !== 'native') fail('application_type must be web or native');
  return value as 'web' | 'native' | undefined;
}

function oidcSettings(doc: Record<string, unknown>, redirects: readonly string[]): OidcClientSettings {
  const subjectType = doc.subject_type ?? 'public';
  if (!isSubjectType(subjectType)) return fail('subject_type must be public or pairwise');
  const settings: OidcClientSettings = {
    postLogoutRedirectUris: [...new Set(stringList(doc, 'post_logout_redirect_uris', 10) ?? [])],
    backchannelLogoutUri: optionalString(doc, 'backchannel_logout_uri') ?? null,
    subjectType,
  };
  const [problem] = oidcSettingsProblems(settings, redirects, METADATA_LABELS);
  if (problem) fail(problem.message);
  return settings;
}

function sessionRequired(doc: Record<string, unknown>): boolean | undefined {
  const value = doc.backchannel_logout_session_required;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') fail('backchannel_logout_session_required must be true or false');
  return value as boolean;
}

/** The document as a client, or a DocumentProblem naming the first field that is wrong. */
export function validateClientDocument(doc: Record<string, unknown>, clientId: string): ClientDocument {
  if (doc.client_id !== clientId) fail(`its client_id (${typeof doc.client_id === 'string' ? doc.client_id.slice(0, 300) : 'missing'}) must be exactly the URL it was fetched from`);
  for (const field of SECRET_FIELDS) if (field in doc) fail(`${field} must not appear: a client ID metadata document cannot hold a secret`);
  const method = optionalString(doc, 'token_endpoint_auth_method') ?? 'none';
  if (method !== 'none' && method !== 'private_key_jwt') fail(`token_endpoint_auth_method must be none or private_key_jwt, not ${method.slice(0, 50)} (no shared secrets)`);
  const authMethod = method as DocumentAuthMethod;
  const name = optionalString(doc, 'client_name', MAX_NAME)?.trim();
  const metadata: ClientDocument['metadata'] = {
    clientUri: optionalHttpsUrl(doc, 'client_uri'),
    logoUri: optionalHttpsUrl(doc, 'logo_uri'),
    tosUri: optionalHttpsUrl(doc, 'tos_uri'),
    policyUri: optionalHttpsUrl(doc, 'policy_uri'),
    contacts: stringList(doc, 'contacts', 10),
    softwareId: optionalString(doc, 'software_id', 200),
    softwareVersion: optionalString(doc, 'software_version', 100),
    applicationType: applicationType(doc),
    backchannelLogoutSessionRequired: sessionRequired(doc),
  };
  for (const key of Object.keys(metadata) as (keyof typeof metadata)[]) if (metadata[key] === undefined) delete metadata[key];
  const grants = grantTypes(doc);
  const redirects = redirectUris(doc, grants);
  return {
    clientId,
    name: name || new URL(clientId).host,
    redirectUris: redirects,
    tokenEndpointAuthMethod: authMethod,
    ...keys(doc, authMethod),
    grantTypes: grants,
    metadata,
    oidc: oidcSettings(doc, redirects),
  };
}
