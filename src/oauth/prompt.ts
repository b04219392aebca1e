// The authorization request's `prompt` (OpenID Connect Core §3.1.2.1, which plain OAuth clients
// send too): `none` shows nothing (no sign-in page, no consent page: a redirect with
// login_required or consent_required instead), `login` asks for the password again even with a
// session, `consent` shows the consent page even for a grant the user already gave.
import { invalidRequest, type OAuthError } from './errors.ts';

export const PROMPT_VALUES = ['none', 'login', 'consent'] as const;
export type PromptValue = (typeof PROMPT_VALUES)[number];

export type Prompt = ReadonlySet<PromptValue>;

const NO_PROMPT: Prompt = new Set();
const isPromptValue = (value: string): value is PromptValue => (PROMPT_VALUES as readonly string[]).includes(value);

/** The prompt asked for, or no prompt and the invalid_request to answer once the user has signed in. */
export function readPrompt(value: string | undefined): { prompt: Prompt; problem?: OAuthError } {
  if (value === undefined) return { prompt: NO_PROMPT };
  const values = value.split(' ').filter((v) => v !== '');
  const unknown = values.filter((v) => !isPromptValue(v));
  if (unknown.length > 0) {
    return { prompt: NO_PROMPT, problem: invalidRequest(`Unsupported prompt value: ${unknown.join(' ')} (supported: ${PROMPT_VALUES.join(', ')})`) };
  }
  const prompt = new Set(values.filter(isPromptValue));
  if (prompt.has('none') && prompt.size > 1) return { prompt: NO_PROMPT, problem: invalidRequest('prompt=none cannot be combined with other values') };
  return { prompt };
}

/**
 * The authorize query to continue with after the sign-in that `prompt=login` asked for: the same
 * request without `login`, so the fresh session satisfies it instead of asking again.
 */
export function querySatisfyingLogin(query: string): string {
  const params = new URLSearchParams(query);
  const rest = (params.get('prompt') ?? '').split(' ').filter((v) => v !== '' && v !== 'login');
  if (rest.length > 0) params.set('prompt', rest.join(' '));
  else params.delete('prompt');
  return params.toString();
}
