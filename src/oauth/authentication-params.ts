// OpenID Connect's authentication request parameters beside `prompt` (Core §3.1.2.1): `max_age`,
// `login_hint`, `id_token_hint`, `ui_locales` and `acr_values`. Each is read here into a typed
// value or an invalid_request, which the endpoint answers (redirected) once the user has signed in,
// like every other request error.
import type { App } from '../domain/app.ts';
import type { OAuthContext } from './context.ts';
import { OAuthError, invalidRequest } from './errors.ts';
import { readIdTokenHint, type IdTokenHint } from './id-token-hint.ts';
import { oidcSubject } from './oidc-subject.ts';

/** Longest `max_age` accepted (2^31 − 1 seconds, some 68 years): anything longer is not a real limit. */
export const MAX_MAX_AGE = 2_147_483_647;
export const MAX_LOGIN_HINT_LENGTH = 255;
export const MAX_UI_LOCALES_LENGTH = 255;
export const MAX_ACR_VALUES_LENGTH = 1024;

export interface AuthenticationParams {
  /** Seconds: a sign-in older than this must be renewed (0: always). */
  maxAge?: number;
  /** Prefills the sign-in page; never trusted for anything else. */
  loginHint?: string;
  /** The user's preferred languages (BCP 47); the pages are in English whatever they say. */
  uiLocales?: readonly string[];
  /** The authentication context classes asked for, most preferred first; voluntary (Core §3.1.2.1). */
  acrValues?: readonly string[];
}

type Raw = { max_age?: string; login_hint?: string; ui_locales?: string; acr_values?: string };

// RFC 5646's shape, loosely: a primary subtag of letters, then subtags of letters and digits.
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;
// RFC 6749 §A.1's NQCHAR-like token: visible ASCII, no space.
const ACR_VALUE = /^[\x21-\x7e]+$/;

const words = (value: string) => value.split(' ').filter((v) => v !== '');

function readMaxAge(value: string): number | OAuthError {
  const seconds = /^[0-9]{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds <= MAX_MAX_AGE)) return invalidRequest(`max_age must be a whole number of seconds from 0 to ${MAX_MAX_AGE}`);
  return seconds;
}

function readList(name: string, value: string, maxLength: number, shape: RegExp, what: string): readonly string[] | OAuthError {
  if (value.length > maxLength) return invalidRequest(`${name} must be at most ${maxLength} characters`);
  const list = words(value);
  const bad = list.find((one) => !shape.test(one));
  return bad === undefined ? list : invalidRequest(`${name} must be space-separated ${what}`);
}

function readLoginHint(value: string): string | OAuthError {
  return value.length > MAX_LOGIN_HINT_LENGTH ? invalidRequest(`login_hint must be at most ${MAX_LOGIN_HINT_LENGTH} characters`) : value.trim();
}

/** The parameters as typed values, or none of them and the first problem. */
export function readAuthenticationParams(raw: Raw): { auth: AuthenticationParams; problem?: OAuthError } {
  const maxAge = raw.max_age === undefined ? undefined : readMaxAge(raw.max_age);
  const loginHint = raw.login_hint === undefined ? undefined : readLoginHint(raw.login_hint);
  const uiLocales = raw.ui_locales === undefined ? undefined : readList('ui_locales', raw.ui_locales, MAX_UI_LOCALES_LENGTH, LANGUAGE_TAG, 'language tags (BCP 47), e.g. "de-CH en"');
  const acrValues = raw.acr_values === undefined ? undefined : readList('acr_values', raw.acr_values, MAX_ACR_VALUES_LENGTH, ACR_VALUE, 'values of visible ASCII characters');
  const problem = [maxAge, loginHint, uiLocales, acrValues].find((value): value is OAuthError => value instanceof OAuthError);
  if (problem) return { auth: {}, problem };
  return {
    auth: {
      ...(typeof maxAge === 'number' ? { maxAge } : {}),
      ...(typeof loginHint === 'string' && loginHint !== '' ? { loginHint } : {}),
      ...(Array.isArray(uiLocales) ? { uiLocales } : {}),
      ...(Array.isArray(acrValues) ? { acrValues } : {}),
    },
  };
}

/**
 * The `id_token_hint` of an authorization request: an ID token of ours, unexpired (within the
 * leeway), issued to this client. Anything else is invalid_request.
 */
export async function readAuthorizeIdTokenHint(token: string | undefined, clientId: string, ctx: OAuthContext): Promise<{ hint?: IdTokenHint; problem?: OAuthError }> {
  if (token === undefined) return {};
  const hint = await readIdTokenHint(token, ctx);
  if (!hint) return { problem: invalidRequest('id_token_hint is not an ID token issued by this server') };
  if (hint.expired) return { problem: invalidRequest('id_token_hint has expired') };
  if (hint.clientId !== clientId) return { problem: invalidRequest('id_token_hint was issued to another client') };
  return { hint };
}

/** Whether the user is the one the hint names, as the app knows them (its subject). */
export function isHintedUser(hint: IdTokenHint, app: App, userId: number, ctx: Pick<OAuthContext, 'tokenKey'>): boolean {
  return hint.sub === oidcSubject(app, userId, ctx);
}
