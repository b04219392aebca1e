// How an app authenticates at the token endpoint, as registered in the console or on the command
// line: the method, and for private_key_jwt exactly one of a JWK Set of public keys or the https
// URL (http on loopback) where the app publishes one. Shared by registration and by changes.
import { TOKEN_ENDPOINT_AUTH_METHODS, type App, type JsonWebKeySet, type TokenEndpointAuthMethod } from '../domain/app.ts';
import { isPublicJwk } from '../oauth/client-assertion.ts';
import { webUrlProblem } from '../oauth/redirect-uri.ts';

/** One broken rule (apps.ts's Problem); `field` names the form field at fault. */
interface Problem {
  message: string;
  field?: string;
}

export interface AuthMethodSettings {
  /** null: ilert's rule (the secret optional per request). */
  tokenEndpointAuthMethod: TokenEndpointAuthMethod | null;
  jwks: JsonWebKeySet | null;
  jwksUri: string | null;
}

export const MAX_JWKS_KEYS = 20;
export const MAX_JWKS_BYTES = 16 * 1024;
const MAX_URI_LENGTH = 2000;

/** Whether apps of this method hold a client secret (ilert's rule and the two secret methods do). */
export const usesClientSecret = (method: TokenEndpointAuthMethod | null): boolean => method === null || method === 'client_secret_basic' || method === 'client_secret_post';

/** An app's current settings. */
export const authMethodOf = (app: App): AuthMethodSettings => ({ tokenEndpointAuthMethod: app.tokenEndpointAuthMethod, jwks: app.jwks, jwksUri: app.jwksUri });

/** Reads a JWK Set typed or uploaded as JSON text; a problem names the field. */
export function parseJwks(text: string, field = 'jwks'): { jwks: JsonWebKeySet } | { problem: Problem } {
  if (Buffer.byteLength(text, 'utf8') > MAX_JWKS_BYTES) return { problem: { message: `The JWKS must be at most ${MAX_JWKS_BYTES / 1024} kB`, field } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: { message: 'The JWKS is not valid JSON', field } };
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray(keys)) return { problem: { message: 'The JWKS must be a JSON object with a "keys" array (RFC 7517 §5)', field } };
  return { jwks: { keys: keys as Record<string, unknown>[] } };
}

/** What is wrong with one key, or undefined: a public RSA, EC or OKP key with its members. */
function keyProblem(key: unknown): string | undefined {
  if (key === null || typeof key !== 'object' || Array.isArray(key)) return 'is not a JSON object';
  const jwk = key as Record<string, unknown>;
  if (!isPublicJwk(jwk)) return 'is a private or symmetric key; register only public keys';
  const need: Record<string, string[]> = { RSA: ['n', 'e'], EC: ['crv', 'x', 'y'], OKP: ['crv', 'x'] };
  const members = typeof jwk.kty === 'string' ? need[jwk.kty] : undefined;
  if (!members) return 'must have kty RSA, EC or OKP';
  const missing = members.filter((member) => typeof jwk[member] !== 'string' || jwk[member] === '');
  if (missing.length > 0) return `lacks ${missing.join(', ')}`;
  if (jwk.use !== undefined && jwk.use !== 'sig') return 'has a use other than sig';
  return undefined;
}

/** Why a jwks_uri cannot be registered, or undefined. */
export const jwksUriProblem = (uri: string): string | undefined => webUrlProblem(uri, MAX_URI_LENGTH);

/** Everything wrong with a method and its keys; fields: tokenEndpointAuthMethod, jwks, jwksUri. */
export function authMethodProblems(settings: AuthMethodSettings): Problem[] {
  const { tokenEndpointAuthMethod: method, jwks, jwksUri } = settings;
  if (method !== null && !TOKEN_ENDPOINT_AUTH_METHODS.includes(method)) {
    return [{ message: `The authentication method must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}`, field: 'tokenEndpointAuthMethod' }];
  }
  if (method !== 'private_key_jwt') {
    return jwks !== null || jwksUri !== null ? [{ message: 'Only private_key_jwt apps register keys; leave the JWKS and JWKS URI empty', field: jwks !== null ? 'jwks' : 'jwksUri' }] : [];
  }
  if ((jwks === null) === (jwksUri === null)) {
    return [{ message: 'A private_key_jwt app needs exactly one of a JWKS (its public keys) or a JWKS URI', field: jwks === null ? 'jwksUri' : 'jwks' }];
  }
  if (jwksUri !== null) {
    const problem = jwksUriProblem(jwksUri);
    return problem ? [{ message: `The JWKS URI ${problem}`, field: 'jwksUri' }] : [];
  }
  const keys = jwks?.keys ?? [];
  if (keys.length === 0) return [{ message: 'The JWKS must hold at least one key', field: 'jwks' }];
  if (keys.length > MAX_JWKS_KEYS) return [{ message: `The JWKS may hold at most ${MAX_JWKS_KEYS} keys`, field: 'jwks' }];
  if (Buffer.byteLength(JSON.stringify(jwks), 'utf8') > MAX_JWKS_BYTES) return [{ message: `The JWKS must be at most ${MAX_JWKS_BYTES / 1024} kB`, field: 'jwks' }];
  const problems: Problem[] = [];
  keys.forEach((key, index) => {
    const problem = keyProblem(key);
    const kid = typeof (key as { kid?: unknown })?.kid === 'string' ? ` (kid ${JSON.stringify((key as { kid: string }).kid)})` : '';
    if (problem) problems.push({ message: `Key ${index + 1}${kid} of the JWKS ${problem}`, field: 'jwks' });
  });
  return problems;
}

/**
 * The settings after a change that names some of them (undefined: unchanged), or undefined when it
 * names none. Keys given replace the app's (a JWKS URI replaces a JWKS); a method other than
 * private_key_jwt keeps no keys.
 */
export function changedAuthMethod(app: App, given: Partial<AuthMethodSettings>): AuthMethodSettings | undefined {
  const keysGiven = given.jwks !== undefined || given.jwksUri !== undefined;
  if (given.tokenEndpointAuthMethod === undefined && !keysGiven) return undefined;
  const method = given.tokenEndpointAuthMethod !== undefined ? given.tokenEndpointAuthMethod : app.tokenEndpointAuthMethod;
  const keep = method === 'private_key_jwt';
  return {
    tokenEndpointAuthMethod: method,
    jwks: keysGiven ? (given.jwks ?? null) : keep ? app.jwks : null,
    jwksUri: keysGiven ? (given.jwksUri ?? null) : keep ? app.jwksUri : null,
  };
}
