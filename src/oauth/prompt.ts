// The authorization request's `prompt` (OpenID Connect Core §3.1.2.1, which plain OAuth clients
// send too): `none` shows nothing (no sign-in page, no consent page, no account choice: a redirect
// with login_required, consent_required or interaction_required instead), `login` asks for the
// password again even with a session, `consent` shows the consent page even for a grant the user
// already gave, `select_account` lets the user continue as the signed-in account or use another.
import { invalidRequest, type OAuthError } from './errors.ts';

export const PROMPT_VALUES = ['none', 'login', 'consent', 'select_account'] as const;
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
 * What a step of the browser's way through the endpoint settled: a sign-in settles `prompt=login`,
 * `prompt=select_account`, `max_age` and `login_hint` (the user just proved who they are); choosing
 * the signed-in account on the select-account page settles `select_account` and `login_hint`.
 */
export type Settled = 'signIn' | 'accountChosen';

const SETTLES: Record<Settled, { prompt: readonly PromptValue[]; params: readonly string[] }> = {
  signIn: { prompt: ['login', 'select_account'], params: ['max_age', 'login_hint'] },
  accountChosen: { prompt: ['select_account'], params: ['login_hint'] },
};

/**
 * The authorize query to continue with after such a step: the same request without what it
 * settled, so it goes on without asking again. A query with nothing to settle comes back as it was.
 */
export function querySettling(query: string, settled: Settled): string {
  const { prompt: values, params: names } = SETTLES[settled];
  const params = new URLSearchParams(query);
  const prompt = (params.get('prompt') ?? '').split(' ').filter((v) => v !== '');
  if (!prompt.some((v) => (values as readonly string[]).includes(v)) && !names.some((name) => params.has(name))) return query;
  const rest = prompt.filter((v) => !(values as readonly string[]).includes(v));
  if (rest.length > 0) params.set('prompt', rest.join(' '));
  else params.delete('prompt');
  for (const name of names) params.delete(name);
  return params.toString();
}
