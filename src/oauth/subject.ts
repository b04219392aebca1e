// The token subject (src/domain/subject.ts) as the protocol reads and writes it: the claims a
// subject puts in an access token, the subject a token's claims name, and whether the live family
// behind a token still holds for that subject.
import type { App } from '../domain/app.ts';
import type { Subject, SubjectRecord } from '../domain/subject.ts';
import type { AccessTokenClaims, SubjectClaims } from './access-token.ts';
import type { OAuthContext } from './context.ts';
import { invalidGrant } from './errors.ts';

/**
 * The claims to mint for a subject, read fresh: a user who no longer exists or is disabled gets no
 * token, and neither does a client whose app is gone.
 */
export async function claimsFor(subject: Subject, app: App, ctx: OAuthContext): Promise<SubjectClaims> {
  if (subject.kind === 'client') {
    // An app without an account (one that registered itself) has nobody to act for.
    const tenant = subject.appId === app.id && app.tenantId !== null ? await ctx.store.tenants.byId(app.tenantId) : undefined;
    if (!tenant) throw invalidGrant('The app of this grant no longer exists or belongs to no account');
    return { sub: app.clientId, tenant: tenant.slug };
  }
  const user = await ctx.store.users.byId(subject.userId);
  const tenant = user && (await ctx.store.tenants.byId(user.tenantId));
  if (!user || !tenant || user.disabled) throw invalidGrant('The user of this grant no longer exists or is disabled');
  return { sub: String(user.id), username: user.username, tenant: tenant.slug };
}

/** The subject an access token of ours names. */
export function subjectOfClaims(claims: AccessTokenClaims): Subject {
  return claims.username === undefined ? { kind: 'client', appId: claims.app_id } : { kind: 'user', userId: Number(claims.sub) };
}

/**
 * Whether the live family behind a verified access token still holds for its subject: it names
 * the token's user, who is not disabled (one query for the user's id and state: token_info and
 * introspection), or it is the token's app's own.
 */
export async function holdsForSubject(claims: AccessTokenClaims, ctx: OAuthContext): Promise<boolean> {
  const subject = subjectOfClaims(claims);
  if (subject.kind === 'client') return !(await ctx.store.families.isRevoked(claims.fid));
  const state = await ctx.store.families.liveSubject(claims.fid);
  return state !== undefined && !state.disabled && state.id === subject.userId;
}

/** The same check, with the subject's record loaded for a resource to serve (the user, or the app). */
export async function liveSubjectRecord(claims: AccessTokenClaims, ctx: OAuthContext): Promise<SubjectRecord | undefined> {
  const subject = subjectOfClaims(claims);
  if (subject.kind === 'client') {
    if (await ctx.store.families.isRevoked(claims.fid)) return undefined;
    const app = await ctx.store.apps.byClientId(claims.client_id);
    return app && app.id === subject.appId ? { kind: 'client', app } : undefined;
  }
  const user = await ctx.store.families.liveUser(claims.fid);
  return user && !user.disabled && user.id === subject.userId ? { kind: 'user', user } : undefined;
}
