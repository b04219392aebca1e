// Bearer authentication and scope checks for the resource API. Tokens only in the Authorization
// header (scheme case-insensitive), never in the query; ilert's {status, message, code} errors,
// with RFC 6750 challenges that name the API's RFC 9728 metadata (`resource_metadata`), so a
// client that knows only the API's URL finds the authorization server and the scopes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthContext } from '../oauth/context.ts';
import { ScopeSet, scopeNeeded } from '../oauth/scopes.ts';
import { activeAccessToken, type Caller } from '../oauth/token-info.ts';
import { resourceMetadataUrl } from '../oauth/metadata.ts';

export type { Caller };
import { sendApiError } from '../http/errors.ts';
import { readBearer } from '../http/bearer-header.ts';

/** The start of every challenge: the realm and where the API's metadata is. */
const challengeOf = (ctx: OAuthContext): string => `Bearer realm="gatehouse", resource_metadata="${resourceMetadataUrl(ctx)}"`;

function unauthorized(reply: FastifyReply, ctx: OAuthContext, message: string, error?: 'invalid_token' | 'invalid_request'): FastifyReply {
  const challenge = error ? `${challengeOf(ctx)}, error="${error}", error_description="${message.replace(/"/g, "'")}"` : challengeOf(ctx);
  reply.header('WWW-Authenticate', challenge);
  return sendApiError(reply, 401, error === undefined ? 'UNAUTHORIZED' : 'INVALID_TOKEN', message);
}

/** The caller behind a valid bearer token, or undefined after an error reply was sent. */
export async function authenticateBearer(request: FastifyRequest, reply: FastifyReply, ctx: OAuthContext): Promise<Caller | undefined> {
  const bearer = readBearer(request);
  if (!('token' in bearer)) {
    unauthorized(reply, ctx, bearer.message, bearer.error);
    return undefined;
  }
  const active = await activeAccessToken(bearer.token, ctx);
  if (!active) {
    unauthorized(reply, ctx, 'The access token is invalid, expired or revoked', 'invalid_token');
    return undefined;
  }
  return { ...active, scopes: ScopeSet.fromStored(active.claims.scope) };
}

/**
 * The account a caller acts in: its user's, or for an app's own token the app owner's. An app
 * without an account gets no token of its own (subject.ts), so 0, which names no account, is never served.
 */
export const tenantIdOf = (caller: Caller): number => (caller.subject.kind === 'user' ? caller.subject.user.tenantId : (caller.subject.app.tenantId ?? 0));

/** Sends 403 OAUTH2_SCOPE_ERROR unless the caller's scopes allow `method` on `resource`. */
export function requireScope(caller: Caller, reply: FastifyReply, ctx: OAuthContext, resource: string, method: string): boolean {
  if (caller.scopes.allows(resource, method)) return true;
  const scope = scopeNeeded(resource, method);
  reply.header('WWW-Authenticate', `${challengeOf(ctx)}, error="insufficient_scope", scope="${scope}"`);
  sendApiError(reply, 403, 'OAUTH2_SCOPE_ERROR', `This request needs the scope ${scope}`, { scope });
  return false;
}
