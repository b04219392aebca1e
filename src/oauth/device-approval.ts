// The person's side of the device flow (/device): find the request a typed user code names, show
// what it asks for, and approve it (recording consent as the consent page does, and starting the
// token family the device's tokens will belong to) or deny it.
import { randomBytes } from 'node:crypto';
import type { App } from '../domain/app.ts';
import type { DeviceCode } from '../domain/device-code.ts';
import type { User } from '../domain/identity.ts';
import type { SignInSession } from '../domain/tokens.ts';
import { checkUserMayAuthorize } from './authorize.ts';
import type { OAuthContext } from './context.ts';
import { hasOffline, mergeGranted, type GrantScope } from './grant-scope.ts';
import { resourcesByIds } from './resources.ts';
import { ScopeSet } from './scopes.ts';
import { normalizeUserCode, userCodeHash } from './user-code.ts';

/** A request waiting for its person: the code, the app asking, and what it asks for in parts. */
export interface PendingDeviceRequest {
  code: DeviceCode;
  /** The normalized user code. */
  userCode: string;
  app: App;
  scopes: GrantScope;
}

/**
 * The pending, unexpired request a typed code names; undefined for anything else (malformed,
 * unknown, expired, decided): the page says only that the code is not valid.
 */
export async function findDeviceRequest(typed: string, ctx: OAuthContext): Promise<PendingDeviceRequest | undefined> {
  const userCode = normalizeUserCode(typed);
  if (userCode === undefined) return undefined;
  const code = await ctx.store.deviceCodes.byUserCode(userCodeHash(userCode));
  if (!code || code.status !== 'pending' || code.expiresAt <= ctx.clock.now()) return undefined;
  const app = await ctx.store.apps.byId(code.appId);
  // A disabled app gets no tokens: nothing to approve for it.
  if (!app || app.disabledAt !== null) return undefined;
  const known = await resourcesByIds(code.resources.map((part) => part.resourceId), ctx);
  const parts = code.resources.flatMap((part) => {
    const resource = known.find((r) => r.id === part.resourceId);
    return resource ? [{ resource, scopes: ScopeSet.fromStored(part.scope, resource.catalog).withOffline(false) }] : [];
  });
  // A resource deleted since the device asked: nothing sensible to approve.
  if (parts.length !== code.resources.length) return undefined;
  return { code, userCode, app, scopes: { parts, offline: hasOffline(code.scope) } };
}

/**
 * Approves the request for the user: one store step moves it on and starts its token family,
 * then the consent is recorded so the connections page lists (and can revoke) it. False when the
 * code was decided or expired meanwhile. An app limited to its account refuses other users
 * (access_denied, as at the authorization endpoint). The family records the browser session that
 * approved (`session`), for the auth_time and sid of the device's ID tokens.
 */
export async function approveDeviceRequest(request: PendingDeviceRequest, user: User, clientDescription: string, ctx: OAuthContext, session?: SignInSession): Promise<boolean> {
  checkUserMayAuthorize(request.app, user);
  const now = ctx.clock.now();
  const { code } = request;
  const familyId = randomBytes(16).toString('hex');
  const family = { id: familyId, appId: code.appId, userId: user.id, scope: code.scope, resources: code.resources, confidential: false, createdAt: now, session: session ?? null };
  const approved = await ctx.store.deviceCodes.approve(code.userCodeHash, user.id, family, now);
  if (!approved) return false;
  await ctx.store.grants.upsert({ userId: user.id, appId: code.appId, scope: code.scope, resources: code.resources, clientDescription }, now, mergeGranted(request.scopes));
  return true;
}

/** Denies the request; false when it was decided or expired meanwhile. */
export async function denyDeviceRequest(request: PendingDeviceRequest, user: User, ctx: OAuthContext): Promise<boolean> {
  return (await ctx.store.deviceCodes.deny(request.code.userCodeHash, user.id, ctx.clock.now())) !== undefined;
}
