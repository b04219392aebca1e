// Dynamic client registration as a client does it: POST the metadata as JSON, then read, replace
// or delete the registration with its registration access token.
import type { JsonResponse } from './token-client.ts';

export const registerUrl = (base: string) => `${base}/oauth2/register`;

async function read(response: Response): Promise<JsonResponse> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: response.status, headers: response.headers, body, text };
}

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
