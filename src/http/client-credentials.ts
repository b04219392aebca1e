// Where a client's id and secret come from: HTTP Basic (form-url-decoded, RFC 6749 §2.3.1), the
// body, or (client_id only, as ilert's settings page shows the token URL) the query string; and a
// client assertion (RFC 7523, private_key_jwt) from the body, whose `sub` names the client when
// client_id is absent.
import type { FastifyRequest } from 'fastify';
import type { ClientCredentials } from '../oauth/client-auth.ts';
import { JWT_BEARER_ASSERTION_TYPE, assertedClientId } from '../oauth/client-assertion.ts';
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

/** The body fields client authentication reads. */
export type CredentialFields = Partial<Record<'client_id' | 'client_secret' | 'client_assertion' | 'client_assertion_type', string>>;

/** RFC 7521 §4.2: both assertion parameters or neither, and only the JWT bearer type. */
function clientAssertion(body: CredentialFields): string | undefined {
  const { client_assertion: assertion, client_assertion_type: type } = body;
  if (assertion === undefined && type === undefined) return undefined;
  if (type === undefined) throw invalidRequest(`client_assertion_type is required with client_assertion (${JWT_BEARER_ASSERTION_TYPE})`);
  if (type !== JWT_BEARER_ASSERTION_TYPE) throw invalidRequest(`client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
  if (assertion === undefined || assertion === '') throw invalidRequest('client_assertion is required with client_assertion_type');
  return assertion;
}

export function clientCredentials(request: FastifyRequest, body: CredentialFields): ClientCredentials {
  const query = readParams(request.query, ['client_id'] as const);
  if (query.problem) throw query.problem;
  const header = request.headers.authorization;
  const basic = typeof header === 'string' ? parseBasic(header) : undefined;

  const ids = [basic?.id, body.client_id, query.values.client_id].filter((v): v is string => v !== undefined && v !== '');
  if (new Set(ids).size > 1) throw invalidRequest('client_id differs between the Authorization header, the body and the query');
  if (basic && body.client_secret !== undefined) {
    throw invalidRequest('Use one client authentication method: HTTP Basic or client_secret in the body, not both');
  }
  const assertion = clientAssertion(body);
  if (assertion !== undefined) {
    if (basic || body.client_secret !== undefined) throw invalidRequest('Use one client authentication method: a client assertion or a client secret, not both');
    // The core checks the sub against client_id and the app; here it only names the client (for the guessing limits).
    return { clientId: ids[0] ?? assertedClientId(assertion), viaBasic: false, clientAssertion: assertion };
  }
  return {
    clientId: ids[0],
    clientSecret: basic ? basic.secret : body.client_secret,
    viaBasic: basic !== undefined,
  };
}
