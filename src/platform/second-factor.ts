// A user's second factors (issue 18): enrolling, confirming and removing a TOTP authenticator,
// its recovery codes, and checking a code at the second step of sign-in. Every change is audited;
// no code or secret is ever written to the audit log.
import type { CodeMethod, SecondFactorMethod } from '../domain/second-factor.ts';
import type { Tenant, User } from '../domain/identity.ts';
import type { OAuthContext } from '../oauth/context.ts';
import type { Actor } from './app-management.ts';
import { authenticateUser } from './login.ts';
import { LAST_FACTOR_REFUSAL, policyCovers } from './mfa-policy.ts';
import { newRecoveryCodes, readRecoveryCode, recoveryCodeHash } from './recovery-codes.ts';
import { matchingStep, newTotpSecret, openTotpSecret, readTotpCode, sealTotpSecret, totpUri } from './totp.ts';

/** How a code check came out; each failure says why in the user's words (`message`). 'refused': the MFA policy forbids it (no guess). */
export type FactorCheck = { ok: true } | { ok: false; reason: 'malformed' | 'wrong' | 'replayed' | 'refused'; message: string };

const MALFORMED: Record<CodeMethod, string> = {
  totp: 'Enter the 6 digits your authenticator app shows.',
  recovery: 'A recovery code has 10 letters and digits, like abcd-efgh-jk.',
};
const failed = (reason: 'malformed' | 'wrong' | 'replayed', method: CodeMethod): FactorCheck => ({
  ok: false,
  reason,
  message:
    reason === 'malformed'
      ? MALFORMED[method]
      : reason === 'replayed'
        ? 'That code was used already. Wait for the next code in your app.'
        : method === 'totp'
          ? 'That code is not right. Check the time on your device and try the current code.'
          : 'That recovery code is not right, or it was used already.',
});

/**
 * How a sign-in with each code method is described (RFC 8176): a recovery code is a second factor,
 * but no one-time password of an app. A passkey's amr depends on the passkey (verifyPasskeySecondFactor).
 */
export const AMR_BY_METHOD: Record<CodeMethod, readonly string[]> = {
  totp: ['pwd', 'otp', 'mfa'],
  recovery: ['pwd', 'mfa'],
};

/**
 * The second factors a user can use at the second step, in the order the page offers them (empty:
 * none, the password is enough): a confirmed authenticator app first (it works without
 * JavaScript), then passkeys, then recovery codes while any are left.
 */
export async function secondFactorMethods(userId: number, ctx: OAuthContext): Promise<SecondFactorMethod[]> {
  const [totp, passkeys, recoveryLeft] = await Promise.all([
    ctx.store.secondFactors.totp(userId),
    ctx.store.passkeys.listForUser(userId),
    ctx.store.secondFactors.recoveryCodesLeft(userId),
  ]);
  const has: Record<SecondFactorMethod, boolean> = { totp: Boolean(totp?.secretSealed), passkey: passkeys.length > 0, recovery: recoveryLeft > 0 };
  return (['totp', 'passkey', 'recovery'] as const).filter((method) => has[method]);
}

/** What the Security page shows of the user's factors. */
export async function securityStatus(user: User, tenant: Tenant, ctx: OAuthContext) {
  const totp = await ctx.store.secondFactors.totp(user.id);
  const pending = totp?.pendingSealed ? openTotpSecret(totp.pendingSealed, ctx.tokenKey) : undefined;
  return {
    totpOn: Boolean(totp?.secretSealed),
    confirmedAt: totp?.confirmedAt ?? undefined,
    recoveryCodesLeft: await ctx.store.secondFactors.recoveryCodesLeft(user.id),
    passkeyCount: (await ctx.store.passkeys.listForUser(user.id)).length,
    enrolment: pending ? { secret: pending, uri: totpUri(pending, `${tenant.slug}:${user.username}`, `Gatehouse (${new URL(ctx.issuer).host})`) } : undefined,
  };
}

/** A new secret to enrol, kept pending (sealed) until a code confirms it. */
export async function startTotpEnrolment(user: User, ctx: OAuthContext): Promise<void> {
  await ctx.store.secondFactors.startTotp(user.id, sealTotpSecret(newTotpSecret(), ctx.tokenKey));
}

/** Confirms the pending secret with a current code: it replaces any earlier one, and ten new recovery codes are returned to show once. */
export async function confirmTotpEnrolment(user: User, rawCode: string, actor: Actor, ctx: OAuthContext): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; message: string }> {
  const totp = await ctx.store.secondFactors.totp(user.id);
  if (!totp?.pendingSealed) return { ok: false, message: 'There is no enrolment to confirm: start again.' };
  const code = readTotpCode(rawCode);
  if (code === undefined) return { ok: false, message: MALFORMED.totp };
  const step = matchingStep(openTotpSecret(totp.pendingSealed, ctx.tokenKey), code, ctx.clock.now());
  if (step === undefined) return { ok: false, message: 'That code is not right. Scan the QR code again, or check the time on your device.' };
  const replaced = Boolean(totp.secretSealed);
  if (!(await ctx.store.secondFactors.confirmTotp(user.id, totp.pendingSealed, step, ctx.clock.now()))) return { ok: false, message: 'The enrolment changed meanwhile: start again.' };
  const recoveryCodes = await storeNewRecoveryCodes(user.id, ctx);
  await ctx.audit?.record('mfa_enrolled', { tenantId: user.tenantId, userId: actor.userId ?? user.id, origin: actor.origin, detail: replaced ? 'authenticator app (replaced the earlier one); new recovery codes' : 'authenticator app; recovery codes' });
  return { ok: true, recoveryCodes };
}

async function storeNewRecoveryCodes(userId: number, ctx: OAuthContext): Promise<string[]> {
  const codes = newRecoveryCodes();
  await ctx.store.secondFactors.replaceRecoveryCodes(userId, codes.map((code) => recoveryCodeHash(readRecoveryCode(code)!)), ctx.clock.now());
  return codes;
}

/** New recovery codes, the old ones void; only for a user with an authenticator. */
export async function regenerateRecoveryCodes(user: User, actor: Actor, ctx: OAuthContext): Promise<string[] | undefined> {
  if (!(await ctx.store.secondFactors.totp(user.id))?.secretSealed) return undefined;
  const codes = await storeNewRecoveryCodes(user.id, ctx);
  await ctx.audit?.record('recovery_codes_regenerated', { tenantId: user.tenantId, userId: actor.userId ?? user.id, origin: actor.origin, detail: `${codes.length} new codes; the old ones no longer work` });
  return codes;
}

/** Checks a code of the user's authenticator: within the window, and of a later step than any used before (one statement, so a race cannot use it twice). */
export async function checkTotp(userId: number, rawCode: string, ctx: OAuthContext): Promise<FactorCheck> {
  const code = readTotpCode(rawCode);
  if (code === undefined) return failed('malformed', 'totp');
  const totp = await ctx.store.secondFactors.totp(userId);
  const step = totp?.secretSealed ? matchingStep(openTotpSecret(totp.secretSealed, ctx.tokenKey), code, ctx.clock.now()) : undefined;
  if (step === undefined) return failed('wrong', 'totp');
  return (await ctx.store.secondFactors.useTotpStep(userId, step)) ? { ok: true } : failed('replayed', 'totp');
}

/** Uses one recovery code (it never works again). */
export async function checkRecoveryCode(userId: number, rawCode: string, ctx: OAuthContext): Promise<FactorCheck> {
  const code = readRecoveryCode(rawCode);
  if (code === undefined) return failed('malformed', 'recovery');
  return (await ctx.store.secondFactors.useRecoveryCode(userId, recoveryCodeHash(code), ctx.clock.now())) ? { ok: true } : failed('wrong', 'recovery');
}

/** A code of the given method. */
export const checkSecondFactor = (method: CodeMethod, userId: number, rawCode: string, ctx: OAuthContext): Promise<FactorCheck> =>
  method === 'totp' ? checkTotp(userId, rawCode, ctx) : checkRecoveryCode(userId, rawCode, ctx);

/** Removes the authenticator and its recovery codes, proven by a current code or the password; refused when it is a covered user's last factor. */
export async function disableTotp(user: User, tenant: Tenant, proof: { code: string; password: string }, actor: Actor, ctx: OAuthContext): Promise<FactorCheck> {
  const refusal = await lastFactorRefusal(user, ctx);
  if (refusal !== undefined) return { ok: false, reason: 'refused', message: refusal };
  const check: FactorCheck =
    proof.code.trim() !== ''
      ? await checkTotp(user.id, proof.code, ctx)
      : proof.password !== '' && (await authenticateUser(tenant.slug, user.username, proof.password, ctx))
        ? { ok: true }
        : { ok: false, reason: 'wrong', message: 'Enter a current code from your authenticator app, or your password.' };
  if (!check.ok) return check;
  await ctx.store.secondFactors.removeTotp(user.id);
  await ctx.audit?.record('mfa_disabled', { tenantId: user.tenantId, userId: actor.userId ?? user.id, origin: actor.origin, detail: `authenticator app and recovery codes removed (proven by ${proof.code.trim() !== '' ? 'a code' : 'the password'})` });
  return check;
}

/**
 * Whether the user has a second factor of any kind: a confirmed authenticator app or a passkey.
 * Reads the store itself (not secondFactorMethods, which lists what the second step offers).
 */
export async function hasSecondFactor(userId: number, ctx: OAuthContext): Promise<boolean> {
  return (await secondFactorCount(userId, ctx)) > 0;
}

/** How many second factors the user has: the authenticator app counts once, each passkey once (recovery codes go with the app). */
export async function secondFactorCount(userId: number, ctx: OAuthContext): Promise<number> {
  const totp = Boolean((await ctx.store.secondFactors.totp(userId))?.secretSealed);
  return (totp ? 1 : 0) + (await ctx.store.passkeys.listForUser(userId)).length;
}

/** Whether the policy covers the user and the user has no second factor yet: then the session may only enrol one. */
export async function mustEnrol(user: User, ctx: OAuthContext): Promise<boolean> {
  return policyCovers(await ctx.store.tenants.mfaPolicy(user.tenantId), user) && !(await hasSecondFactor(user.id, ctx));
}

/** Why the user may not remove one of their factors (the last one, while the policy covers them); undefined when they may. */
export async function lastFactorRefusal(user: User, ctx: OAuthContext): Promise<string | undefined> {
  if (!policyCovers(await ctx.store.tenants.mfaPolicy(user.tenantId), user)) return undefined;
  return (await secondFactorCount(user.id, ctx)) <= 1 ? LAST_FACTOR_REFUSAL : undefined;
}

