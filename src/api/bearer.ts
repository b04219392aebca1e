// Bearer authentication and scope checks for the resource API. Tokens only in the Authorization
// header (scheme case-insensitive), never in the query; ilert's {status, message, code} errors.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthContext } from '../oauth/context.ts';
import { ScopeSet, scopeNeeded } from '../oauth/scopes.ts';
import { activeAccessToken, type Caller } from '../oauth/token-info.ts';

export type { Caller };
import { sendApiError } from '../http/errors.ts';

function unauthorized(reply: FastifyReply, message: string, error?: 'invalid_token' | 'invalid_request'): FastifyReply {
  const challenge = error
    ? `Bearer realm="gatehouse", error="${error}", error_description="${message.replace(/"/g, "'")}"`
    : 'Bearer realm="gatehouse"';
  reply.header('WWW-Authenticate', challenge);
  return sendApiError(reply, 401, error === undefined ? 'UNAUTHORIZED' : 'INVALID_TOKEN', message);
}

/** The caller behind a valid bearer token, or undefined after an error reply was sent. */
export async function authenticateBearer(request: FastifyRequest, reply: FastifyReply, ctx: OAuthContext): Promise<Caller | undefined> {
  const query = request.query as Record<string, unknown> | undefined;
  if (query && Object.hasOwn(query, 'access_token')) {
    unauthorized(reply, 'Access tokens are accepted only in the Authorization header, never in the URL', 'invalid_request');
    return undefined;
  }
  const header = request.headers.authorization;
  if (header === undefined) {
    unauthorized(reply, 'Missing Authorization header with a Bearer token');
    return undefined;
  }
  const match = /^bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    unauthorized(reply, 'The Authorization header must be "Bearer <access token>"', 'invalid_request');
    return undefined;
  }
  const active = await activeAccessToken(match[1], ctx);
  if (!active) {
    unauthorized(reply, 'The access token is invalid, expired or revoked', 'invalid_token');
    return undefined;
  }
  return { ...active, scopes: ScopeSet.fromStored(active.claims.scope) };
}

/** Sends 403 OAUTH2_SCOPE_ERROR unless the caller's scopes allow `method` on `resource`. */
/** The account a caller acts in: its user's, or for an app's own token the app owner's. */
export const tenantIdOf = (caller: Caller): number => (caller.subject.kind === 'user' ? caller.subject.user.tenantId : caller.subject.app.tenantId);

export function requireScope(caller: Caller, reply: FastifyReply, resource: string, method: string): boolean {
  if (caller.scopes.allows(resource, method)) return true;
  const scope = scopeNeeded(resource, method);
  reply.header('WWW-Authenticate', `Bearer realm="gatehouse", error="insufficient_scope", scope="${scope}"`);
  sendApiError(reply, 403, 'OAUTH2_SCOPE_ERROR', `This request needs the scope ${scope}`, { scope });
  return false;
}
