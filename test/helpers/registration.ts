// Dynamic client registration as a client does it: POST the metadata as JSON, then read, replace
// or delete the registration with its registration access token.
import { Browserless, authorizeQuery } from './browserless.ts';
import { guideCodeChallenge, guideCodeVerifier, postForm, read, tokenUrl, type JsonResponse } from './token-client.ts';

export const registerUrl = (base: string) => `${base}/oauth2/register`;

/** POST /oauth2/register with a JSON body (or exactly this text), optionally with an initial access token. */
export async function register(base: string, metadata: unknown, options: { token?: string; headers?: Record<string, string> } = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  return read(await fetch(registerUrl(base), { method: 'POST', headers, body: typeof metadata === 'string' ? metadata : JSON.stringify(metadata) }));
}

/** A request to a registration_client_uri (RFC 7592). */
export async function manage(uri: string, method: 'GET' | 'PUT' | 'DELETE', token: string | undefined, body?: unknown): Promise<JsonResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return read(await fetch(uri, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}

export interface Registered {
  client_id: string;
  client_secret?: string;
  registration_access_token: string;
  registration_client_uri: string;
  [field: string]: unknown;
}

/** Authorizes a public client with PKCE as the given user (allowing on the consent page) and redeems the code: its token response. */
export async function signInWithPublicClient(base: string, clientId: string, redirectUri: string, account: { tenant: string; username: string; password: string }, scope = 'profile offline_access'): Promise<JsonResponse> {
  const browser = new Browserless(base);
  const verifier = guideCodeVerifier();
  const query = authorizeQuery({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope, code_challenge: guideCodeChallenge(verifier), code_challenge_method: 'S256' });
  const code = await browser.authorizeCode(query, account);
  return postForm(tokenUrl(base), { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: verifier, redirect_uri: redirectUri });
}
