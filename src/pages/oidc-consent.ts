// The consent page's words for OpenID Connect: `openid` with `profile`, `email` and `phone` is
// one line a person understands ("Sign you in and see your name and email"), not three.
import { OIDC_SCOPES, OPENID } from '../oauth/oidc-scopes.ts';
import type { ScopeLine, ScopeSet } from '../oauth/scopes.ts';

const OIDC_DESCRIPTIONS = new Set(OIDC_SCOPES.map((scope) => (scope.kind === 'plain' ? scope.description : '')));

/** "Sign you in and see your name and email", from the OpenID Connect scopes of a request. */
export function signInSentence(scopes: ScopeSet): string {
  const seen = [scopes.levels.has('profile') ? 'your name' : undefined, scopes.plain.has('email') ? 'email' : undefined, scopes.plain.has('phone') ? 'phone number' : undefined].filter((s) => s !== undefined);
  if (seen.length === 0) return 'Sign you in';
  const list = seen.length === 1 ? seen[0] : `${seen.slice(0, -1).join(', ')} and ${seen.at(-1)}`;
  return `Sign you in and see ${list?.startsWith('your') ? list : `your ${list}`}`;
}

/**
 * The lines of a built-in API request with OpenID Connect folded into one sign-in line first.
 * Without `openid` the lines stay exactly as they were (ilert's page).
 */
export function withSignInLine(scopes: ScopeSet, lines: ScopeLine[]): ScopeLine[] {
  if (!scopes.plain.has(OPENID)) return lines;
  const rest = lines.filter((line) => !(line.noun === '' && OIDC_DESCRIPTIONS.has(line.verbs)));
  return [{ verbs: signInSentence(scopes), noun: '' }, ...rest];
}
