// Token-endpoint calls as ilert's docs and sample app make them, plus the raw requests that tests
// of odd inputs need, and the PKCE helpers of ilert's browser guide.
import { createHash, getRandomValues } from 'node:crypto';

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

/** A response's status, headers and body (JSON, or `{raw}` when it is not). */
export async function read(response: Response): Promise<JsonResponse> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: response.status, headers: response.headers, body, text };
}

export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return postRaw(url, new URLSearchParams(form).toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
}

/** A POST with exactly this body and these headers (accept: application/json unless overridden). */
export async function postRaw(url: string, body: string | undefined, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const response = await fetch(url, { method: 'POST', headers: { accept: 'application/json', ...headers }, body });
  return read(response);
}

export const tokenUrl = (base: string) => `${base}/api/developers/oauth2/token`;
export const tokenInfoUrl = (base: string) => `${base}/api/developers/oauth2/token_info`;
export const revokeUrl = (base: string) => `${base}/api/developers/oauth2/revoke`;

export function basicAuth(id: string, secret: string): string {
  const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

/** generateCodeVerifier() of ilert's PKCE guide: 28 random Uint32, two hex digits each (56 chars). */
export function guideCodeVerifier(): string {
  const dec2hex = (dec: number) => `0${dec.toString(16)}`.slice(-2);
  const array = new Uint32Array(56 / 2);
  getRandomValues(array);
  return Array.from(array, dec2hex).join('');
}

/** generateCodeChallengeFromVerifier() of the guide: base64 of SHA-256, made url-safe, unpadded. */
export function guideCodeChallenge(verifier: string): string {
  return createHash('sha256')
    .update(new TextEncoder().encode(verifier))
    .digest('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
