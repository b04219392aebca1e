// Clients that register themselves (RFC 7591) and manage their registration (RFC 7592): created
// with no account, unverified, with a registration access token kept only as its hash. Reading,
// replacing and deleting need that token; a wrong one and an unknown client get the same 401, so
// nothing tells which client ids exist. Deleting revokes everything the client was issued.
import type { App, AppChanges } from '../domain/app.ts';
import type { RequestOrigin } from '../domain/audit.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { OAuthError } from '../oauth/errors.ts';
import { OAUTH_PATHS, authorizationServerMetadata } from '../oauth/metadata.ts';
import { randomHex, randomToken, safeEqual, sha256Hex } from '../oauth/secrets.ts';
import { tokenFamilies } from './audit.ts';
import { readClientMetadata, responseTypesFor, usesSecret, type ClientRegistration } from './client-metadata.ts';
import type { RegistrationGate } from './registration-gate.ts';

/** Recognisable in logs and leaks: a Gatehouse registration access token (RFC 7592). */
export const REGISTRATION_ACCESS_TOKEN_PREFIX = 'ghreg_';

/** What is shown once: a new client secret or registration access token. */
interface Issued {
  clientSecret?: string;
  registrationAccessToken?: string;
}

export const registrationClientUri = (app: App, ctx: Pick<OAuthContext, 'issuer'>): string => `${ctx.issuer}${OAUTH_PATHS.register}/${app.clientId}`;

/** The methods the token endpoint verifies, as discovery announces them. */
const authMethodsOf = (ctx: OAuthContext): readonly string[] => authorizationServerMetadata(ctx).token_endpoint_auth_methods_supported;

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * RFC 7591 §3.2.1's client information response: every field as registered. Secrets and tokens
 * are stored as hashes, so they appear only in the answer that issued them.
 */
export function clientInformation(app: App, ctx: Pick<OAuthContext, 'issuer'>, issued: Issued = {}): Record<string, unknown> {
  const m = app.clientMetadata ?? {};
  const info: Record<string, unknown> = {
    client_id: app.clientId,
    ...(issued.clientSecret === undefined ? {} : { client_secret: issued.clientSecret }),
    client_id_issued_at: seconds(app.createdAt),
    ...(app.clientSecretHash === null ? {} : { client_secret_expires_at: 0 }),
    ...(issued.registrationAccessToken === undefined ? {} : { registration_access_token: issued.registrationAccessToken }),
    registration_client_uri: registrationClientUri(app, ctx),
    client_name: app.name,
    redirect_uris: app.redirectUris,
    token_endpoint_auth_method: app.tokenEndpointAuthMethod ?? 'client_secret_basic',
    grant_types: app.grantTypes,
    response_types: responseTypesFor(app.grantTypes),
    application_type: m.applicationType ?? 'web',
    client_uri: m.clientUri,
    logo_uri: m.logoUri,
    tos_uri: m.tosUri,
    policy_uri: m.policyUri,
    contacts: m.contacts,
    software_id: m.softwareId,
    software_version: m.softwareVersion,
    jwks: app.jwks ?? undefined,
    jwks_uri: app.jwksUri ?? undefined,
    post_logout_redirect_uris: app.postLogoutRedirectUris.length > 0 ? app.postLogoutRedirectUris : undefined,
    backchannel_logout_uri: app.backchannelLogoutUri ?? undefined,
    backchannel_logout_session_required: m.backchannelLogoutSessionRequired,
    // Only when not the default, so a client that names none gets the answer it always got.
    subject_type: app.subjectType === 'public' ? undefined : app.subjectType,
  };
  return Object.fromEntries(Object.entries(info).filter(([, value]) => value !== undefined));
}

const registrationChanges = (r: ClientRegistration): AppChanges => ({
  name: r.name,
  redirectUris: r.redirectUris,
  tokenEndpointAuthMethod: r.tokenEndpointAuthMethod,
  grantTypes: r.grantTypes,
  jwks: r.jwks,
  jwksUri: r.jwksUri,
  clientMetadata: r.clientMetadata,
  ...r.oidc,
});

/** Who acted: the client itself (its request's origin), or a signed-in platform admin. */
export interface ClientActor {
  userId?: number;
  origin?: RequestOrigin;
}

async function audit(ctx: OAuthContext, type: 'app_created' | 'app_updated' | 'app_deleted', app: App, actor: ClientActor, detail: string): Promise<void> {
  await ctx.audit?.record(type, { appId: app.id, userId: actor.userId, origin: actor.origin, detail: `self-registered client ${JSON.stringify(app.name)} (${app.clientId}) ${detail}` });
}

/** POST /oauth2/register once the gate let the request in: validate, count the gate's use, create. */
export async function registerDynamicClient(body: unknown, gate: RegistrationGate, origin: RequestOrigin | undefined, ctx: OAuthContext): Promise<Record<string, unknown>> {
  const registration = readClientMetadata(body, authMethodsOf(ctx));
  // Only a valid request uses up the initial access token.
  await gate.commit();
  const clientSecret = usesSecret(registration.tokenEndpointAuthMethod) ? randomHex(32) : undefined;
  const registrationAccessToken = randomToken(REGISTRATION_ACCESS_TOKEN_PREFIX);
  const app = await ctx.store.apps.create(
    {
      tenantId: null,
      clientId: randomHex(10),
      clientSecretHash: clientSecret === undefined ? null : sha256Hex(clientSecret),
      name: registration.name,
      description: '',
      redirectUris: registration.redirectUris,
      limitToAccount: false,
      refreshRotation: 'public',
      grantTypes: registration.grantTypes,
      registration: 'dynamic',
      tokenEndpointAuthMethod: registration.tokenEndpointAuthMethod,
      jwks: registration.jwks,
      jwksUri: registration.jwksUri,
      registrationTokenHash: sha256Hex(registrationAccessToken),
      clientMetadata: registration.clientMetadata,
      ...registration.oidc,
    },
    ctx.clock.now(),
  );
  await audit(ctx, 'app_created', app, { origin }, `registered itself (${gate.describe()})`);
  return clientInformation(app, ctx, { clientSecret, registrationAccessToken });
}

/** The 401 of RFC 7592 §2: the same for a wrong token and for a client that does not exist. */
export const invalidRegistrationToken = () => new OAuthError('invalid_token', 'The registration access token is missing, or not valid for this client');

/** The self-registered client whose registration access token this is; anything else is the one 401. */
export async function clientForRegistrationToken(clientId: string, token: string | undefined, ctx: OAuthContext): Promise<App> {
  const app = clientId.length <= 100 ? await ctx.store.apps.byClientId(clientId) : undefined;
  const stored = app?.registration === 'dynamic' ? app.registrationTokenHash : null;
  // The hash is compared even when there is nothing to compare with, so timing tells nothing.
  const matches = safeEqual(sha256Hex(token ?? ''), stored ?? '0'.repeat(64));
  if (!app || stored === null || token === undefined || !matches) throw invalidRegistrationToken();
  return app;
}

/** Fields a client must not send in an update (RFC 7592 §2.2): the server's own. */
const SERVER_FIELDS = ['registration_access_token', 'registration_client_uri', 'client_secret_expires_at', 'client_id_issued_at'];

/**
 * PUT: the document replaces every field (omitted ones are removed or take their defaults). The
 * client id must be the client's; a client secret, when sent, must be the current one and is never
 * replaced by the client's choice. A switch between a method with a secret and one without issues
 * or drops the secret.
 */
export async function replaceDynamicClient(app: App, body: unknown, origin: RequestOrigin | undefined, ctx: OAuthContext): Promise<Record<string, unknown>> {
  const doc = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (doc.client_id !== app.clientId) throw new OAuthError('invalid_client_metadata', 'client_id must be sent, and be this client\'s id');
  const sent = SERVER_FIELDS.find((name) => doc[name] !== undefined);
  if (sent) throw new OAuthError('invalid_client_metadata', `${sent} is the server's to set; leave it out of the update`);
  const secret = doc.client_secret;
  if (secret !== undefined && (typeof secret !== 'string' || app.clientSecretHash === null || !safeEqual(sha256Hex(secret), app.clientSecretHash))) {
    throw new OAuthError('invalid_client_metadata', 'client_secret must be the current secret: a client cannot choose its own');
  }
  const registration = readClientMetadata(body, authMethodsOf(ctx));
  const changes = registrationChanges(registration);
  let clientSecret: string | undefined;
  if (usesSecret(registration.tokenEndpointAuthMethod) && app.clientSecretHash === null) {
    clientSecret = randomHex(32);
    changes.clientSecretHash = sha256Hex(clientSecret);
  } else if (!usesSecret(registration.tokenEndpointAuthMethod) && app.clientSecretHash !== null) {
    changes.clientSecretHash = null;
  }
  const updated = await ctx.store.apps.update(app.id, changes, ctx.clock.now());
  if (!updated) throw invalidRegistrationToken();
  await audit(ctx, 'app_updated', updated, { origin }, 'changed its registration');
  return clientInformation(updated, ctx, { clientSecret });
}

/** Deletes a self-registered client with everything it was issued; its tokens stop working at once. */
export async function deleteDynamicClient(app: App, actor: ClientActor, ctx: OAuthContext, by = 'deleted itself'): Promise<{ revokedFamilies: number }> {
  const families = await ctx.store.apps.delete(app.id, ctx.clock.now());
  if (!families) throw invalidRegistrationToken();
  await audit(ctx, 'app_deleted', app, actor, `${by}, ${tokenFamilies(families.length)} revoked`);
  return { revokedFamilies: families.length };
}
