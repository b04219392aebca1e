// What the authorization request asks of the browser's sign-in before it can go on (OpenID Connect
// Core §3.1.2.3): nothing (the session will do), a sign-in (none yet, or one to renew), or the
// user's choice of account, or a second factor (step-up). With prompt=none nothing may be shown, so each need is an error instead.
import { OAuthError, type OAuthErrorCode } from './errors.ts';
import type { Prompt } from './prompt.ts';

export type SignInStep =
  | { step: 'proceed' }
  /** The sign-in form: `no_session`, or a session to renew (`prompt_login`, `max_age`) or to replace by the hint's user (`id_token_hint`). */
  | { step: 'signIn'; reason: 'no_session' | 'prompt_login' | 'max_age' | 'id_token_hint' }
  /** Continue as the signed-in user or use another account: asked for (`prompt`), or the `login_hint` names someone else. */
  | { step: 'chooseAccount'; reason: 'prompt' | 'login_hint' }
  /** The second factor for a session signed in with the password only, as `acr_values` (or an essential `acr`) asks (step-up). */
  | { step: 'secondFactor'; reason: 'acr_values' };

export interface SignInState {
  prompt: Prompt;
  /** `max_age`, in seconds. */
  maxAge?: number;
  /** The session, if any: when it signed in, and whether it is the user the hints name. */
  session?: { signedInAt?: Date; isHintedUser: boolean; isLoginHintUser: boolean; needsSecondFactor?: boolean };
  now: Date;
}

/** Whether a sign-in is older than `max_age` allows (0: any sign-in is; an unknown time is). */
function tooOld(signedInAt: Date | undefined, maxAge: number, now: Date): boolean {
  return maxAge === 0 || signedInAt === undefined || now.getTime() - signedInAt.getTime() > maxAge * 1000;
}

/** The first thing the request still needs, in the order that settles most at once. */
export function signInStep({ prompt, maxAge, session, now }: SignInState): SignInStep {
  if (!session) return { step: 'signIn', reason: 'no_session' };
  if (!session.isHintedUser) return { step: 'signIn', reason: 'id_token_hint' };
  if (maxAge !== undefined && tooOld(session.signedInAt, maxAge, now)) return { step: 'signIn', reason: 'max_age' };
  if (prompt.has('login')) return { step: 'signIn', reason: 'prompt_login' };
  if (prompt.has('select_account')) return { step: 'chooseAccount', reason: 'prompt' };
  if (!session.isLoginHintUser) return { step: 'chooseAccount', reason: 'login_hint' };
  if (session.needsSecondFactor) return { step: 'secondFactor', reason: 'acr_values' };
  return { step: 'proceed' };
}

const PROMPT_NONE_ERRORS: Record<Exclude<SignInStep, { step: 'proceed' }>['reason'], [OAuthErrorCode, string]> = {
  no_session: ['login_required', 'Nobody is signed in here, and prompt=none allows no sign-in page'],
  // Core §3.1.2.1 names login_required for a session of another user than the id_token_hint's.
  id_token_hint: ['login_required', 'The signed-in user is not the one id_token_hint names, and prompt=none allows no sign-in page'],
  max_age: ['login_required', 'The sign-in is older than max_age allows, and prompt=none allows no sign-in page'],
  // Unreachable (prompt=none cannot be combined), but every reason has its answer.
  prompt_login: ['login_required', 'prompt=login asks for a sign-in'],
  prompt: ['interaction_required', 'prompt=select_account asks the user to choose'],
  // The hint is only a hint: the user might go on as themselves, so it is a choice, not a sign-in, that is needed.
  login_hint: ['interaction_required', 'The signed-in user is not the one login_hint names: the user would have to choose an account, and prompt=none allows no page'],
  acr_values: ['interaction_required', 'The request asks for a second factor (acr_values, an essential acr, or a :d scope the account protects) the session has not used, and prompt=none allows no page'],
};

/** What prompt=none answers instead of showing the step's page. */
export function promptNoneError(step: Exclude<SignInStep, { step: 'proceed' }>): OAuthError {
  const [code, description] = PROMPT_NONE_ERRORS[step.reason];
  return new OAuthError(code, description);
}
