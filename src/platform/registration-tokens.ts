// Initial access tokens (RFC 7591 §3): what `gatehouse registration-tokens create` hands to whoever
// may register clients when GATEHOUSE_REGISTRATION=token. Shown once, stored as a SHA-256 hash,
// optionally limited in time and uses, revocable; a registration checks one before it validates
// the metadata and counts its use only once the metadata is good (a bad request uses nothing).
import type { InitialAccessToken } from '../domain/registration.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { randomToken, sha256Hex } from '../oauth/secrets.ts';
import { RegistrationError, throwIfAny, type Problem } from './apps.ts';

/** Recognisable in logs and leaks: a Gatehouse initial access token. */
export const INITIAL_ACCESS_TOKEN_PREFIX = 'ghiat_';

export const TOKEN_BOUNDS = { maxDays: 3650, maxUses: 1_000_000, labelLength: 200 } as const;

export interface InitialAccessTokenRequest {
  label?: string;
  /** Days until it expires; absent: it does not expire. */
  expiresInDays?: number;
  /** Registrations it allows; absent: any number. */
  maxUses?: number;
}

function requestProblems(input: InitialAccessTokenRequest): Problem[] {
  const problems: Problem[] = [];
  const whole = (value: number | undefined, max: number) => value === undefined || (Number.isInteger(value) && value >= 1 && value <= max);
  if (!whole(input.expiresInDays, TOKEN_BOUNDS.maxDays)) problems.push({ message: `The expiry must be a whole number of days from 1 to ${TOKEN_BOUNDS.maxDays}`, field: 'expiresInDays' });
  if (!whole(input.maxUses, TOKEN_BOUNDS.maxUses)) problems.push({ message: `The use limit must be a whole number from 1 to ${TOKEN_BOUNDS.maxUses}`, field: 'maxUses' });
  if ((input.label ?? '').length > TOKEN_BOUNDS.labelLength) problems.push({ message: `The label must be at most ${TOKEN_BOUNDS.labelLength} characters`, field: 'label' });
  return problems;
}

/** Makes a token; the token itself is returned only here. */
export async function createInitialAccessToken(input: InitialAccessTokenRequest, ctx: OAuthContext): Promise<{ token: string; record: InitialAccessToken }> {
  throwIfAny(requestProblems(input));
  const now = ctx.clock.now();
  const token = randomToken(INITIAL_ACCESS_TOKEN_PREFIX);
  const expiresAt = input.expiresInDays === undefined ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000);
  const record = await ctx.store.registrationTokens.create({ tokenHash: sha256Hex(token), label: (input.label ?? '').trim(), maxUses: input.maxUses ?? null, expiresAt }, now);
  return { token, record };
}

export async function revokeInitialAccessToken(id: number, ctx: OAuthContext): Promise<InitialAccessToken> {
  const revoked = await ctx.store.registrationTokens.revoke(id, ctx.clock.now());
  if (revoked) return revoked;
  const known = await ctx.store.registrationTokens.byId(id);
  throw new RegistrationError(known ? `Registration token ${id} was revoked already` : `There is no registration token with id ${id}`);
}

/** 'live', or why the token no longer lets anyone register. */
export function tokenState(token: InitialAccessToken, now: Date): 'live' | 'revoked' | 'expired' | 'used up' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (token.maxUses !== null && token.useCount >= token.maxUses) return 'used up';
  return 'live';
}

/** Only tokens that look like ours are looked up (hashing is cheap, but a lookup is a query). */
export const looksLikeInitialAccessToken = (value: string): boolean => value.startsWith(INITIAL_ACCESS_TOKEN_PREFIX) && value.length <= 100;
