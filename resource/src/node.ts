// @gatehouse/resource/node: the kit on plain node:http. authenticateRequest answers a refused
// request itself and hands back the verified token otherwise; serveMetadata answers the RFC 9728
// document at its well-known path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Refusal } from './bearer.ts';
import { checkRequirement, type ScopeRequirement } from './scopes.ts';
import type { Verified, Verifier } from './verifier-api.ts';

export interface NodeAuthOptions {
  /** Scopes the request needs (see methodScope for a level by method). */
  scope?: ScopeRequirement;
}

/** Headers every answer of the kit carries, besides its own (WWW-Authenticate, Retry-After). */
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

/** Writes a refusal: its status, headers and JSON body, never cached. */
export function sendRefusal(res: ServerResponse, refusal: Refusal): void {
  const body = JSON.stringify(refusal.body);
  res.writeHead(refusal.status, { ...JSON_HEADERS, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body), ...refusal.headers });
  res.end(body);
}

/**
 * The verified token of a request, or undefined after the refusal was sent. Only the Authorization
 * header counts; `access_token` in the query is refused.
 */
export async function authenticateRequest(verifier: Verifier, req: IncomingMessage, res: ServerResponse, options: NodeAuthOptions = {}): Promise<Verified | undefined> {
  const result = await verifier.authenticate(req.headers, {
    method: req.method ?? 'GET',
    ...(req.url === undefined ? {} : { url: req.url }),
    ...(options.scope === undefined ? {} : { scope: options.scope }),
  });
  if (result.ok) return result;
  sendRefusal(res, result);
  return undefined;
}

/** A handler for verified requests; whatever it returns is awaited. */
export type ProtectedHandler = (req: IncomingMessage, res: ServerResponse, auth: Verified) => unknown;

/** Wraps a handler so that it runs only for requests with a valid token (and the scopes, when given). */
export function protect(verifier: Verifier, handler: ProtectedHandler, options: NodeAuthOptions = {}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  if (options.scope !== undefined) checkRequirement(options.scope);
  return async (req, res) => {
    const auth = await authenticateRequest(verifier, req, res, options);
    if (auth) await handler(req, res, auth);
  };
}

/**
 * Answers GET or HEAD of the verifier's RFC 9728 metadata path and returns true; returns false for
 * any other request, which the caller handles. Public (no token) and readable cross-origin.
 */
export function serveMetadata(verifier: Verifier, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = verifier.resourceMetadataPath.includes('?') ? req.url : req.url?.split('?')[0];
  if (path !== verifier.resourceMetadataPath) return false;
  const body = JSON.stringify(verifier.metadata());
  res.writeHead(200, { ...JSON_HEADERS, 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*', 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
