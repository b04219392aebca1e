// Registering a passkey (WebAuthn registration): options for the browser, bound to the session
// that asked, and the verification of its answer, which stores the credential, named.
import { generateRegistrationOptions, verifyRegistrationResponse, type AuthenticatorTransportFuture, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Tenant, User } from '../../domain/identity.ts';
import type { Passkey } from '../../domain/passkey.ts';
import type { RequestOrigin } from '../../domain/audit.ts';
import { secondsFrom, type OAuthContext } from '../../oauth/context.ts';
import { quoted } from '../audit.ts';
import { CHALLENGE_SECONDS, PasskeyError, expectedOrigin, rpId, userHandle } from './relying-party.ts';
import { passkeyName } from './names.ts';

/**
 * The options `navigator.credentials.create` needs: a discoverable credential (so it can sign in
 * without a username), user verification preferred, none of the user's passkeys again. The
 * challenge is left for `binding` (the session), replacing an earlier one.
 */
export async function registrationOptions(user: User, tenant: Tenant, binding: string, ctx: OAuthContext): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await ctx.store.passkeys.listForUser(user.id);
  const options = await generateRegistrationOptions({
    rpName: 'Gatehouse',
    rpID: rpId(ctx),
    userID: userHandle(user, ctx),
    userName: `${user.username}@${tenant.slug}`,
    userDisplayName: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.username,
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransportFuture[] })),
    timeout: CHALLENGE_SECONDS * 1000,
  });
  await ctx.store.webauthnChallenges.put({ binding, purpose: 'registration', challenge: options.challenge, userId: user.id, expiresAt: secondsFrom(ctx.clock.now(), CHALLENGE_SECONDS) });
  return options;
}

export interface Registration {
  user: User;
  binding: string;
  response: RegistrationResponseJSON;
  /** The name the user gave it (blank: one is made up from the date). */
  name: string;
  hostTenant: string | undefined;
  origin: RequestOrigin;
}

/** Verifies the browser's answer to the binding's challenge and stores the passkey, audited; a PasskeyError says why not. */
export async function finishRegistration(r: Registration, ctx: OAuthContext): Promise<Passkey> {
  const now = ctx.clock.now();
  const name = passkeyName(r.name, now);
  const challenge = await ctx.store.webauthnChallenges.take(r.binding, 'registration', now);
  const refuse = async (message: string): Promise<never> => {
    await ctx.audit?.record('passkey_failed', { tenantId: r.user.tenantId, userId: r.user.id, origin: r.origin, detail: `registration: ${message}` });
    throw new PasskeyError(message);
  };
  if (!challenge || challenge.userId !== r.user.id) return refuse('The request to add a passkey expired or was used already. Try again.');
  const verified = await verifyRegistrationResponse({
    response: r.response,
    expectedChallenge: challenge.challenge,
    expectedOrigin: expectedOrigin(ctx, r.hostTenant),
    expectedRPID: rpId(ctx),
    requireUserVerification: false,
  }).catch((error: unknown) => refuse(`The passkey could not be verified: ${error instanceof Error ? error.message : 'bad response'}`));
  if (!verified.verified) return refuse('The passkey could not be verified.');
  const info = verified.registrationInfo;
  const stored = await ctx.store.passkeys.add({
    userId: r.user.id,
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey),
    signCount: info.credential.counter,
    transports: (r.response.response.transports ?? []).slice(0, 8),
    name,
    aaguid: info.aaguid,
    backedUp: info.credentialBackedUp,
    deviceType: info.credentialDeviceType,
    createdAt: now,
  });
  if (!stored) return refuse('This passkey is registered already.');
  await ctx.audit?.record('passkey_registered', { tenantId: r.user.tenantId, userId: r.user.id, origin: r.origin, detail: `passkey ${quoted(name)} (${info.credentialDeviceType === 'multiDevice' ? 'synced' : 'device-bound'})` });
  return stored;
}
