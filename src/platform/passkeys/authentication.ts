// Signing in with a passkey (WebAuthn authentication): options for the browser, and the check of
// its assertion — passwordless (a discoverable credential names its user) or as a second factor
// (the user is known; only their passkeys count). The counter must go up, recorded atomically.
import { generateAuthenticationOptions, verifyAuthenticationResponse, type AuthenticationResponseJSON, type AuthenticatorTransportFuture, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { RequestOrigin } from '../../domain/audit.ts';
import type { Tenant, User } from '../../domain/identity.ts';
import type { Passkey } from '../../domain/passkey.ts';
import { PASSWORD_AMR } from '../../domain/tokens.ts';
import { secondsFrom, type OAuthContext } from '../../oauth/context.ts';
import { quoted } from '../audit.ts';
import { CHALLENGE_SECONDS, PasskeyError, expectedOrigin, passkeyAmr, rpId, userHandle } from './relying-party.ts';

/**
 * The options `navigator.credentials.get` needs, the challenge left for `binding`. Without a user
 * (passwordless) no credentials are listed, so the authenticator offers its discoverable ones; for
 * a known user (second factor) only theirs.
 */
export async function authenticationOptions(binding: string, ctx: OAuthContext, user?: User): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = user ? await ctx.store.passkeys.listForUser(user.id) : [];
  const options = await generateAuthenticationOptions({
    rpID: rpId(ctx),
    userVerification: 'preferred',
    timeout: CHALLENGE_SECONDS * 1000,
    ...(user ? { allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransportFuture[] })) } : {}),
  });
  await ctx.store.webauthnChallenges.put({ binding, purpose: 'authentication', challenge: options.challenge, userId: user?.id ?? null, expiresAt: secondsFrom(ctx.clock.now(), CHALLENGE_SECONDS) });
  return options;
}

export interface Assertion {
  binding: string;
  response: AuthenticationResponseJSON;
  hostTenant: string | undefined;
  origin: RequestOrigin;
}

export interface PasskeyUse {
  user: User;
  tenant: Tenant;
  passkey: Passkey;
  /** How the user signed in (RFC 8176), for the session. */
  amr: string[];
}

const EXPIRED = 'The sign-in request expired or was used already. Try again.';
const UNKNOWN = 'This passkey is not registered here. Sign in with your password, then add it in the console.';

/**
 * Takes the binding's challenge and verifies the assertion against the stored passkey: its
 * challenge, origin, RP id and signature, then a counter above the stored one. Returns the passkey
 * (counter and last use recorded) and whether the user was verified; a PasskeyError otherwise.
 */
async function verifyAssertion(a: Assertion, ctx: OAuthContext, expectUserId?: number): Promise<{ passkey: Passkey; user: User; userVerified: boolean }> {
  const now = ctx.clock.now();
  const challenge = await ctx.store.webauthnChallenges.take(a.binding, 'authentication', now);
  // A passwordless challenge names no user; a second factor's names the user it was made for.
  if (!challenge || challenge.userId !== (expectUserId ?? null)) throw new PasskeyError(EXPIRED);
  const passkey = typeof a.response.id === 'string' ? await ctx.store.passkeys.byCredentialId(a.response.id) : undefined;
  if (!passkey) throw new PasskeyError(UNKNOWN);
  if (expectUserId !== undefined && passkey.userId !== expectUserId) throw new PasskeyError('This passkey belongs to someone else.');
  const user = await ctx.store.users.byId(passkey.userId);
  if (!user) throw new PasskeyError(UNKNOWN);
  // A discoverable credential says whose it is; it must be the user it was registered for.
  const handle = a.response.response.userHandle;
  if (handle !== undefined && handle !== Buffer.from(userHandle(user, ctx)).toString('base64url')) throw new PasskeyError(UNKNOWN);
  const verified = await verifyAuthenticationResponse({
    response: a.response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: expectedOrigin(ctx, a.hostTenant),
    expectedRPID: rpId(ctx),
    credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: passkey.signCount, transports: passkey.transports as AuthenticatorTransportFuture[] },
    requireUserVerification: false,
  }).catch((error: unknown) => {
    throw new PasskeyError(`The passkey's answer is not valid: ${error instanceof Error ? error.message : 'bad response'}`);
  });
  if (!verified.verified) throw new PasskeyError("The passkey's answer is not valid.");
  const info = verified.authenticationInfo;
  if (!(await ctx.store.passkeys.recordUse(passkey.id, info.newCounter, info.credentialBackedUp, now))) {
    throw new PasskeyError("The passkey's signature counter did not go up: this answer was used before, or the passkey was copied.");
  }
  return { passkey, user, userVerified: info.userVerified };
}

/** Runs a check, auditing a refusal as passkey_failed (for the user, when known) before passing it on. */
async function audited<T>(work: () => Promise<T>, what: string, a: Assertion, ctx: OAuthContext, user?: User): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PasskeyError) {
      const known = user ?? (typeof a.response.id === 'string' ? await ctx.store.passkeys.byCredentialId(a.response.id).then((p) => p && ctx.store.users.byId(p.userId)) : undefined);
      await ctx.audit?.record('passkey_failed', { tenantId: known?.tenantId, userId: known?.id, origin: a.origin, detail: `${what}: ${error.message}` });
    }
    throw error;
  }
}

/**
 * Passwordless sign-in: the discoverable credential names its user, who must be of the host's
 * tenant (on a tenant host) and not disabled. Audited as passkey_sign_in; the session is the caller's.
 */
export async function passwordlessSignIn(a: Assertion, ctx: OAuthContext): Promise<PasskeyUse> {
  return audited(async () => {
    const { passkey, user, userVerified } = await verifyAssertion(a, ctx);
    const tenant = await ctx.store.tenants.byId(user.tenantId);
    if (!tenant || (a.hostTenant !== undefined && tenant.slug !== a.hostTenant)) throw new PasskeyError(`This passkey is not for an account of ${a.hostTenant ?? 'this server'}.`, 403);
    if (user.disabled) throw new PasskeyError('This user is disabled.', 403);
    const amr = passkeyAmr(passkey, userVerified);
    await ctx.audit?.record('passkey_sign_in', { tenantId: tenant.id, userId: user.id, origin: a.origin, detail: `passwordless with passkey ${quoted(passkey.name)}; amr ${amr.join(' ')}` });
    return { user, tenant, passkey, amr };
  }, 'passwordless sign-in', a, ctx);
}

/**
 * The second factor of a user who already passed `firstFactor` (a password unless told): one of
 * their own passkeys answering the challenge left for `binding` by authenticationOptions(binding,
 * ctx, user). Returns the passkey and the sign-in's amr: the first factor's, the passkey's
 * (`hwk`/`swk`, `user` when verified) and `mfa`. Audited as passkey_sign_in or passkey_failed.
 */
export async function verifyPasskeySecondFactor(
  user: User,
  a: Assertion,
  ctx: OAuthContext,
  firstFactor: readonly string[] = PASSWORD_AMR,
): Promise<{ passkey: Passkey; amr: string[] }> {
  return audited(async () => {
    const { passkey, userVerified } = await verifyAssertion(a, ctx, user.id);
    const amr = [...new Set([...firstFactor, ...passkeyAmr(passkey, userVerified), 'mfa'])];
    await ctx.audit?.record('passkey_sign_in', { tenantId: user.tenantId, userId: user.id, origin: a.origin, detail: `second factor with passkey ${quoted(passkey.name)}; amr ${amr.join(' ')}` });
    return { passkey, amr };
  }, 'second factor', a, ctx, user);
}
