// Changing apps after registration: settings, secret rotation (optionally ending every token),
// verification, and deletion. Each change is audited; each revocation ends refresh tokens and,
// through their families, the access tokens already handed out.
import type { App, AppChanges, RefreshRotation, SubjectType } from '../domain/app.ts';
import type { User } from '../domain/identity.ts';
import { appSettingsProblems, defaultResourceProblems, RegistrationError, storedDefaultResource, throwIfAny } from './apps.ts';
import type { RequestOrigin } from '../domain/audit.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { randomHex, sha256Hex } from '../oauth/secrets.ts';
import { tokenFamilies } from './audit.ts';
import { changedAuthMethod, usesClientSecret, type AuthMethodSettings } from './app-auth-method.ts';
import { resolveServiceScopes, revokeNarrowed, type ServiceScopeChoice } from './service-scopes.ts';

/** Who asked for a change: a signed-in user (console) or nobody (the command line). */
export interface Actor {
  userId?: number;
  origin?: RequestOrigin;
}

export interface AppSettings {
  description: string;
  redirectUris: string[];
  limitToAccount: boolean;
  refreshRotation: RefreshRotation;
  grantTypes: string[];
  /** The resource its token requests that name none are for (null: the built-in API); absent: unchanged. */
  defaultResourceId?: number | null;
  /** How it authenticates, and its keys (app-auth-method.ts); absent: unchanged. */
  tokenEndpointAuthMethod?: AuthMethodSettings['tokenEndpointAuthMethod'];
  jwks?: AuthMethodSettings['jwks'];
  jwksUri?: AuthMethodSettings['jwksUri'];
  /** What client_credentials may ask, per resource, replacing all; absent: unchanged. */
  serviceScopes?: ServiceScopeChoice[];
  /** OpenID Connect's settings (oauth/oidc-client-settings.ts), each absent: unchanged. */
  postLogoutRedirectUris?: string[];
  backchannelLogoutUri?: string | null;
  subjectType?: SubjectType;
}

/** Tenant admins manage their tenant's apps; nobody else does. */
export function mayManageApp(user: User, app: App): boolean {
  return user.role === 'ADMIN' && user.tenantId === app.tenantId && !user.disabled;
}

async function audit(ctx: OAuthContext, type: 'app_created' | 'app_updated' | 'app_deleted' | 'secret_rotated', app: App, actor: Actor, detail: string): Promise<void> {
  await ctx.audit?.record(type, { tenantId: app.tenantId ?? undefined, userId: actor.userId, appId: app.id, origin: actor.origin, detail });
}

async function changed(app: App, changes: AppChanges, ctx: OAuthContext): Promise<App> {
  const updated = await ctx.store.apps.update(app.id, changes, ctx.clock.now());
  if (!updated) throw new RegistrationError(`The app "${app.name}" no longer exists`);
  return updated;
}

export async function updateAppSettings(app: App, settings: AppSettings, actor: Actor, ctx: OAuthContext): Promise<App> {
  const defaultProblems = settings.defaultResourceId === undefined ? [] : await defaultResourceProblems(settings.defaultResourceId, ctx);
  const auth = changedAuthMethod(app, settings);
  const service = settings.serviceScopes === undefined ? undefined : await resolveServiceScopes(settings.serviceScopes, ctx);
  // The subject type is checked against the new redirect URIs even when it stays as it is.
  throwIfAny([...appSettingsProblems({ ...settings, ...auth, subjectType: settings.subjectType ?? app.subjectType }), ...defaultProblems, ...(service?.problems ?? [])]);
  const { defaultResourceId, serviceScopes: _choices, tokenEndpointAuthMethod: _method, jwks: _jwks, jwksUri: _jwksUri, ...rest } = settings;
  const changes: AppChanges = { ...rest, redirectUris: [...new Set(settings.redirectUris)], grantTypes: [...new Set(settings.grantTypes)] };
  if (settings.postLogoutRedirectUris !== undefined) changes.postLogoutRedirectUris = [...new Set(settings.postLogoutRedirectUris)];
  if (defaultResourceId !== undefined) changes.defaultResourceId = storedDefaultResource(defaultResourceId);
  if (service) changes.serviceScopes = service.scopes;
  // A method without a secret drops the one the app had: it could only be refused from now on.
  if (auth) Object.assign(changes, auth, usesClientSecret(auth.tokenEndpointAuthMethod) ? {} : { clientSecretHash: null });
  const updated = await changed(app, changes, ctx);
  // Narrowed service scopes end the app's own tokens for those resources, at once.
  const narrowed = service ? await revokeNarrowed(updated, app.serviceScopes, ctx) : 0;
  await audit(ctx, 'app_updated', updated, actor, `app ${JSON.stringify(app.name)} settings changed${narrowed > 0 ? `, service scopes narrowed: ${tokenFamilies(narrowed)} revoked` : ''}`);
  return updated;
}

/**
 * A new secret, shown once. With `revokeTokens` every token family of the app ends too (a leaked
 * secret may have minted tokens); without, existing refresh tokens keep working with the new secret.
 */
export async function rotateAppSecret(app: App, options: { revokeTokens: boolean }, actor: Actor, ctx: OAuthContext): Promise<{ app: App; clientSecret: string; revokedFamilies: number }> {
  if (!usesClientSecret(app.tokenEndpointAuthMethod)) {
    throw new RegistrationError(`"${app.name}" authenticates with ${app.tokenEndpointAuthMethod ?? ''} and has no client secret to rotate; change its authentication method first`);
  }
  const clientSecret = randomHex(32);
  const updated = await changed(app, { clientSecretHash: sha256Hex(clientSecret) }, ctx);
  const revoked = options.revokeTokens ? await ctx.store.families.revokeWhere({ appId: app.id }, 'secret_rotated', ctx.clock.now()) : [];
  const detail = options.revokeTokens ? `secret rotated, ${tokenFamilies(revoked.length)} revoked` : 'secret rotated, tokens kept';
  await audit(ctx, 'secret_rotated', updated, actor, detail);
  return { app: updated, clientSecret, revokedFamilies: revoked.length };
}

export async function setAppVerified(app: App, verified: boolean, actor: Actor, ctx: OAuthContext): Promise<App> {
  const updated = await changed(app, { verified }, ctx);
  await audit(ctx, 'app_updated', updated, actor, verified ? 'marked verified' : 'marked unverified');
  return updated;
}

/** Deletes the app and everything issued for it; its access tokens stop working at once. */
export async function deleteApp(app: App, actor: Actor, ctx: OAuthContext): Promise<{ revokedFamilies: number }> {
  const families = await ctx.store.apps.delete(app.id, ctx.clock.now());
  if (!families) throw new RegistrationError(`The app "${app.name}" no longer exists`);
  await audit(ctx, 'app_deleted', app, actor, `app ${JSON.stringify(app.name)} deleted, ${tokenFamilies(families.length)} revoked`);
  return { revokedFamilies: families.length };
}

/** Audits a registration (registerApp itself stays free of who asked). */
export async function auditAppCreated(app: App, actor: Actor, ctx: OAuthContext): Promise<void> {
  await audit(ctx, 'app_created', app, actor, `app ${JSON.stringify(app.name)} registered`);
}
