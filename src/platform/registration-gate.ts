// Who may register a client (GATEHOUSE_REGISTRATION): nobody ('off'), whoever holds a live initial
// access token ('token'), or anyone ('open', rate limited per address at the HTTP edge). The gate
// is asked before the metadata is read; a token is counted as used only by `commit`, once the
// metadata passed, so a bad request uses nothing.
import { DEFAULT_REGISTRATION } from '../domain/registration.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { OAuthError } from '../oauth/errors.ts';
import { sha256Hex } from '../oauth/secrets.ts';
import { looksLikeInitialAccessToken } from './registration-tokens.ts';

export interface RegistrationGate {
  /** Counts the use of the initial access token (atomically); throws when it was used up meanwhile. */
  commit(): Promise<void>;
  /** For the audit log: how the client got in. */
  describe(): string;
}

/** 403: this server takes no registrations at all (RFC 7591 §3 leaves the policy to the server). */
export const registrationOff = () =>
  new OAuthError('access_denied', 'Dynamic client registration is turned off on this server (GATEHOUSE_REGISTRATION=off); ask its operator for a client registered in the console', { status: 403 });

/** 401 per RFC 6750: the initial access token is missing or not (any more) valid. */
export const needsInitialAccessToken = (present: boolean) =>
  new OAuthError(
    'invalid_token',
    present
      ? 'The initial access token is not valid: unknown, expired, used up or revoked'
      : 'Registration needs an initial access token (Authorization: Bearer …); the operator makes one with gatehouse registration-tokens create',
  );

export async function registrationGate(bearer: string | undefined, ctx: OAuthContext): Promise<RegistrationGate> {
  const policy = ctx.registration?.policy ?? DEFAULT_REGISTRATION.policy;
  if (policy === 'off') throw registrationOff();
  if (policy === 'open') return { commit: async () => undefined, describe: () => 'open registration' };
  if (bearer === undefined) throw needsInitialAccessToken(false);
  const hash = sha256Hex(bearer);
  const token = looksLikeInitialAccessToken(bearer) ? await ctx.store.registrationTokens.findLive(hash, ctx.clock.now()) : undefined;
  if (!token) throw needsInitialAccessToken(true);
  return {
    async commit() {
      if (!(await ctx.store.registrationTokens.use(hash, ctx.clock.now()))) throw needsInitialAccessToken(true);
    },
    describe: () => `initial access token ${token.id}${token.label ? ` "${token.label.slice(0, 60)}"` : ''}`,
  };
}
