// The account's MFA policy (issue 18, docs/security.md "MFA policy"): whom it requires a second
// factor of, an admin's reset of a user's factors, and `:d` scopes that need one at consent. What
// it means for one user (must enrol, may not remove the last factor) is in second-factor.ts.
import type { MfaPolicy, Tenant, User } from '../domain/identity.ts';
import type { OAuthContext } from '../oauth/context.ts';
import type { Actor } from './app-management.ts';
import { quoted } from './audit.ts';

/** What a covered user is told when removing their last second factor. */
export const LAST_FACTOR_REFUSAL = 'Your account requires a second factor, so you cannot remove your last one. Add another one (an authenticator app or a passkey) first.';

/** Whether the policy requires a second factor of the user. */
export const policyCovers = (policy: MfaPolicy, user: User): boolean => policy.required === 'everyone' || (policy.required === 'admins' && user.role === 'ADMIN');

const describe = (policy: MfaPolicy): string =>
  `second factor required of ${policy.required === 'off' ? 'nobody' : policy.required}; for :d scopes ${policy.forDeleteScopes ? 'required' : 'not required'}`;

/** Sets the account's policy (an account admin's choice), audited as `mfa_policy_changed`. */
export async function setMfaPolicy(tenant: Tenant, policy: MfaPolicy, actor: Actor, ctx: OAuthContext): Promise<void> {
  await ctx.store.tenants.setMfaPolicy(tenant.id, policy);
  await ctx.audit?.record('mfa_policy_changed', { tenantId: tenant.id, userId: actor.userId, origin: actor.origin, detail: describe(policy) });
}

/**
 * Removes every second factor of the user — the authenticator app, its recovery codes, every
 * passkey — for a user who lost them; audited as `mfa_reset`. If the policy covers the user, the
 * next sign-in asks them to enrol again. Returns how many factors were removed.
 */
export async function resetSecondFactors(user: User, actor: Actor, ctx: OAuthContext): Promise<number> {
  const removedTotp = await ctx.store.secondFactors.removeTotp(user.id);
  let passkeys = 0;
  for (const passkey of await ctx.store.passkeys.listForUser(user.id)) if (await ctx.store.passkeys.remove(user.id, passkey.id)) passkeys += 1;
  const detail = `user ${quoted(user.username)}: ${removedTotp ? 'authenticator app and recovery codes' : 'no authenticator app'}, ${passkeys} ${passkeys === 1 ? 'passkey' : 'passkeys'} removed`;
  await ctx.audit?.record('mfa_reset', { tenantId: user.tenantId, userId: actor.userId, origin: actor.origin, detail });
  return (removedTotp ? 1 : 0) + passkeys;
}

/** Scopes that delete things: ilert's catalog names them with a `:d` ending. */
export const isDeleteScope = (scope: string): boolean => scope.endsWith(':d');

/** Whether consent to these scopes needs a session signed in with a second factor (`mfa` in its amr). */
export async function deleteScopesNeedMfa(tenantId: number, scopes: readonly string[], ctx: OAuthContext): Promise<boolean> {
  return scopes.some(isDeleteScope) && (await ctx.store.tenants.mfaPolicy(tenantId)).forDeleteScopes;
}
