// The sign-in a code or token family records for OpenID Connect (migration 018): two nullable
// columns, both set or both null.
import type { SignInSession } from '../../domain/tokens.ts';
import { toDate } from './rows.ts';

export const toSignInSession = (row: { auth_time: number | string | null; sid: string | null }): SignInSession | null =>
  row.auth_time === null || row.sid === null ? null : { authTime: toDate(row.auth_time), sid: row.sid };

export const signInSessionColumns = (session: SignInSession | null | undefined) => ({
  auth_time: session ? session.authTime.getTime() : null,
  sid: session ? session.sid : null,
});
