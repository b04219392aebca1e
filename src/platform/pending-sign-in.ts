// The pending sign-in between a correct password (or, for step-up, a session signed in with the
// password only) and the second step: a random cookie value the store keeps only as a hash, good
// for five minutes and a few wrong codes, used once.
import type { PendingSignIn } from '../domain/second-factor.ts';
import type { Tenant, User } from '../domain/identity.ts';
import { secondsFrom, type OAuthContext } from '../oauth/context.ts';
import { TOKEN_PREFIX, randomToken, sha256Hex } from '../oauth/secrets.ts';

export const PENDING_SIGN_IN_SECONDS = 300;
/** Wrong codes one pending sign-in allows; then the password is asked again. */
export const PENDING_SIGN_IN_ATTEMPTS = 10;

/** Starts the second step for the user; the returned id goes into the cookie and nowhere else. */
export async function startPendingSignIn(user: User, returnTo: string, ctx: OAuthContext): Promise<{ id: string; expiresAt: Date }> {
  const id = randomToken(TOKEN_PREFIX.pendingSignIn);
  const now = ctx.clock.now();
  const expiresAt = secondsFrom(now, PENDING_SIGN_IN_SECONDS);
  await ctx.store.pendingSignIns.create({ idHash: sha256Hex(id), tenantId: user.tenantId, userId: user.id, returnTo, expiresAt }, now);
  return { id, expiresAt };
}

export interface ResolvedPendingSignIn {
  pending: PendingSignIn;
  user: User;
  tenant: Tenant;
}

/** The live pending sign-in of the cookie, with its (still enabled) user. */
export async function resolvePendingSignIn(id: string, ctx: OAuthContext): Promise<ResolvedPendingSignIn | undefined> {
  const pending = await ctx.store.pendingSignIns.byIdHash(sha256Hex(id), ctx.clock.now());
  const user = pending && (await ctx.store.users.byId(pending.userId));
  const tenant = user && (await ctx.store.tenants.byId(user.tenantId));
  return pending && user && tenant && !user.disabled ? { pending, user, tenant } : undefined;
}

/** Counts a wrong code; false (and the pending sign-in is gone) once it has had too many. */
export async function pendingFailure(id: string, ctx: OAuthContext): Promise<boolean> {
  const idHash = sha256Hex(id);
  const attempts = await ctx.store.pendingSignIns.countFailure(idHash, ctx.clock.now());
  if (attempts !== undefined && attempts < PENDING_SIGN_IN_ATTEMPTS) return true;
  await ctx.store.pendingSignIns.delete(idHash);
  return false;
}

/** Ends the pending sign-in as the second step succeeds: only one request can. */
export async function finishPendingSignIn(id: string, ctx: OAuthContext): Promise<PendingSignIn | undefined> {
  return ctx.store.pendingSignIns.take(sha256Hex(id), ctx.clock.now());
}
