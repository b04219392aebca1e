// Signing users in: password check (argon2id, same work for unknown users), server-side
// sessions whose ids are stored only as hashes, and the audit line of a failed attempt.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { Semaphore } from '../semaphore.ts';
import type { RequestOrigin } from '../domain/audit.ts';
import type { Tenant, User } from '../domain/identity.ts';
import { secondsFrom, type OAuthContext } from '../oauth/context.ts';
import { PASSWORD_AMR } from '../domain/tokens.ts';
import { TOKEN_PREFIX, randomToken, sha256Hex } from '../oauth/secrets.ts';
import { quoted } from './audit.ts';
import type { Actor } from './app-management.ts';
import { sessionEnded } from './backchannel-logout.ts';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes at once per process: each takes 19 MiB while it runs, and they are CPU-bound, so more at
 * once than there are cores only adds memory. A cluster runs a worker per core, each one at a
 * time; a single process may use up to four cores (the size of libuv's default thread pool).
 */
export const ARGON2_CONCURRENCY = cluster.isWorker ? 1 : Math.min(4, availableParallelism());
const argon2Slots = new Semaphore(ARGON2_CONCURRENCY);

/** argon2id computations running and waiting in this process. */
export const passwordWork = (): { running: number; waiting: number } => ({ running: argon2Slots.running, waiting: argon2Slots.waiting });

export function hashPassword(password: string): Promise<string> {
  return argon2Slots.run(() => hash(password, ARGON2));
}

const verifyPassword = (passwordHash: string, password: string): Promise<boolean> => argon2Slots.run(() => verify(passwordHash, password));

let dummyHash: Promise<string> | undefined;

export async function authenticateUser(
  tenantSlug: string,
  username: string,
  password: string,
  ctx: OAuthContext,
): Promise<{ user: User; tenant: Tenant } | undefined> {
  const tenant = await ctx.store.tenants.bySlug(tenantSlug);
  const found = tenant && (await ctx.store.users.forLogin(tenant.id, username));
  // Verify against a throwaway hash when there is no such user, so timing does not tell.
  dummyHash ??= hashPassword('not a real password');
  const ok = await verifyPassword(found?.passwordHash ?? (await dummyHash), password).catch(() => false);
  if (!tenant || !found || !ok || found.disabled) return undefined;
  const { passwordHash: _secret, ...user } = found;
  return { user, tenant };
}

export interface SignedIn {
  sessionIdHash: string;
  user: User;
  tenant: Tenant;
  /** When the user signed in (the session's start): OpenID Connect's auth_time. */
  signedInAt?: Date;
  /** How the user signed in (RFC 8176 `amr` values). */
  amr: string[];
  /**
   * The account's MFA policy requires a second factor the user has not enrolled: the session may
   * only reach the Security page (and sign out) until they do (SessionCookies.current sets it).
   */
  mustEnrol?: boolean;
}

/** Starts a session, remembering how the user signed in; the returned id goes into the cookie and nowhere else. */
export async function startSession(user: User, ctx: OAuthContext, amr: readonly string[] = PASSWORD_AMR): Promise<{ id: string; expiresAt: Date }> {
  const id = randomToken(TOKEN_PREFIX.session);
  const now = ctx.clock.now();
  const expiresAt = secondsFrom(now, ctx.lifetimes.session);
  await ctx.store.sessions.create({ idHash: sha256Hex(id), tenantId: user.tenantId, userId: user.id, createdAt: now, expiresAt, amr: [...amr] });
  return { id, expiresAt };
}

export async function resolveSession(id: string, ctx: OAuthContext): Promise<SignedIn | undefined> {
  const idHash = sha256Hex(id);
  const session = await ctx.store.sessions.byIdHash(idHash, ctx.clock.now());
  if (!session) return undefined;
  const user = await ctx.store.users.byId(session.userId);
  const tenant = await ctx.store.tenants.byId(session.tenantId);
  if (!user || !tenant || user.disabled) return undefined;
  return { sessionIdHash: idHash, user, tenant, signedInAt: session.createdAt, amr: session.amr ?? [...PASSWORD_AMR] };
}

/** Ends one session: every sign-out comes here, and the apps it signed in hear of it (backchannel-logout.ts). */
export async function endSession(id: string, ctx: OAuthContext): Promise<void> {
  const idHash = sha256Hex(id);
  await ctx.store.sessions.delete(idHash);
  await sessionEnded(idHash, ctx);
}

/** Ends every session of the user, each as endSession does; returns how many there were. */
export async function endSessionsOf(userId: number, ctx: OAuthContext): Promise<number> {
  const ended = await ctx.store.sessions.deleteForUser(userId);
  for (const idHash of ended) await sessionEnded(idHash, ctx);
  return ended.length;
}

/** "Sign out everywhere" (the console, the CLI): every session of the user ends, audited. */
export async function signOutEverywhere(user: User, actor: Actor, ctx: OAuthContext): Promise<number> {
  const ended = await endSessionsOf(user.id, ctx);
  const sessions = `${ended} ${ended === 1 ? 'session' : 'sessions'}`;
  await ctx.audit?.record('signed_out_everywhere', { tenantId: user.tenantId, userId: actor.userId ?? user.id, origin: actor.origin, detail: `user ${quoted(user.username)}: ${sessions} ended` });
  return ended;
}

/** A failed sign-in for the audit log: the username tried and its account when they exist; never the password. */
export async function auditFailedLogin(tenantSlug: string | undefined, username: string | undefined, passwordGiven: boolean, origin: RequestOrigin, ctx: OAuthContext) {
  if (!ctx.audit) return;
  const lookup = async () => {
    const tenant = tenantSlug ? await ctx.store.tenants.bySlug(tenantSlug) : undefined;
    const user = tenant && username ? await ctx.store.users.forLogin(tenant.id, username) : undefined;
    return { tenant, userId: user?.id };
  };
  const { tenant, userId } = await lookup().catch(() => ({ tenant: undefined, userId: undefined }));
  const detail = [
    `username ${quoted(username ?? '')}`,
    !tenantSlug ? 'no account given' : !tenant ? `unknown account ${quoted(tenantSlug)}` : undefined,
    tenant && username && userId === undefined ? 'no such user' : undefined,
    passwordGiven ? undefined : 'no password',
  ].filter((part) => part !== undefined);
  await ctx.audit.record('login_failed', { tenantId: tenant?.id, userId, origin, detail: detail.join('; ') });
}
