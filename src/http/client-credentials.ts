// Where a client's id and secret come from: HTTP Basic (form-url-decoded, RFC 6749 §2.3.1), the
// body, or (client_id only, as ilert's settings page shows the token URL) the query string.
import type { FastifyRequest } from 'fastify';
import type { ClientCredentials } from '../oauth/client-auth.ts';
import { OAuthError, invalidRequest } from '../oauth/errors.ts';
import { readParams } from './params.ts';

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_client', 'The Basic credentials are not form-url-encoded', { status: 401 });
  }
}

/** Whether the request tries HTTP Basic client authentication (its failure then needs WWW-Authenticate). */
export function usesBasic(request: FastifyRequest): boolean {
  const header = request.headers.authorization;
  return typeof header === 'string' && /^basic(\s|$)/i.test(header);
}

function parseBasic(header: string): { id: string; secret: string } | undefined {
  if (!/^basic(\s|$)/i.test(header)) return undefined;
  // A Basic header that cannot be read is failed authentication, not an absent one.
  const match = /^basic\s+([A-Za-z0-9+/_-]+={0,2})\s*$/i.exec(header);
  if (!match?.[1]) throw new OAuthError('invalid_client', 'The Authorization header is not valid HTTP Basic', { status: 401 });
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'The Basic credentials have no colon', { status: 401 });
  const id = formDecode(decoded.slice(0, colon));
  if (id === '') throw new OAuthError('invalid_client', 'The Basic credentials name no client', { status: 401 });
  return { id, secret: formDecode(decoded.slice(colon + 1)) };
}

export function clientCredentials(request: FastifyRequest, body: Partial<Record<'client_id' | 'client_secret', string>>): ClientCredentials {
  const query = readParams(request.query, ['client_id'] as const);
  if (query.problem) throw query.problem;
  const header = request.headers.authorization;
  const basic = typeof header === 'string' ? parseBasic(header) : undefined;

  const ids = [basic?.id, body.client_id, query.values.client_id].filter((v): v is string => v !== undefined && v !== '');
  if (new Set(ids).size > 1) throw invalidRequest('client_id differs between the Authorization header, the body and the query');
  if (basic && body.client_secret !== undefined) {
    throw invalidRequest('Use one client authentication method: HTTP Basic or client_secret in the body, not both');
  }
  return {
    clientId: ids[0],
    clientSecret: basic ? basic.secret : body.client_secret,
    viaBasic: basic !== undefined,
  };
}
