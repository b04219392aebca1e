// The sign-in a code or token family records for OpenID Connect (migrations 018 and 023): the
// sign-in time and session id, both set or both null, and how the user signed in.
import { PASSWORD_AMR, type SignInSession } from '../../domain/tokens.ts';
import { toDate } from './rows.ts';

/** An `amr` column: null on rows from before migration 023, which were password sign-ins. */
export const toAmr = (column: string | null): string[] => (column === null ? [...PASSWORD_AMR] : (JSON.parse(column) as string[]));

export const toSignInSession = (row: { auth_time: number | string | null; sid: string | null; amr: string | null }): SignInSession | null =>
  row.auth_time === null || row.sid === null ? null : { authTime: toDate(row.auth_time), sid: row.sid, amr: toAmr(row.amr) };

export const signInSessionColumns = (session: SignInSession | null | undefined) => ({
  auth_time: session ? session.authTime.getTime() : null,
  sid: session ? session.sid : null,
  amr: session ? JSON.stringify(session.amr) : null,
});
