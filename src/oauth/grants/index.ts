// The grant registry: every grant type the token endpoint serves. The endpoint, discovery's
// grant_types_supported, the token request's parameters, the metrics and the apps' allowed grant
// types all derive from this list; to add a grant, add its file and its line here.
import { authorizationCodeGrant } from './authorization-code.ts';
import { clientCredentialsGrant } from './client-credentials.ts';
import { deviceCodeGrant } from './device-code.ts';
import type { Grant } from './grant.ts';
import { refreshTokenGrant } from './refresh-token.ts';

export type { Grant, GrantRequest } from './grant.ts';

export const GRANTS = [authorizationCodeGrant, refreshTokenGrant, clientCredentialsGrant, deviceCodeGrant] as const;

export type GrantType = (typeof GRANTS)[number]['type'];

export const GRANT_TYPES = GRANTS.map((grant) => grant.type) as [GrantType, ...GrantType[]];

const BY_TYPE: ReadonlyMap<string, Grant> = new Map(GRANTS.map((grant) => [grant.type, grant as Grant]));

export const grantFor = (type: string): Grant | undefined => BY_TYPE.get(type);

export const isGrantType = (type: string): type is GrantType => BY_TYPE.has(type);

/** Every parameter some grant reads, with what it means to each (`grant_type: meaning`). */
export function grantParameters(): Record<string, string> {
  const described: Record<string, string[]> = {};
  for (const grant of GRANTS) {
    for (const [name, meaning] of Object.entries<string>(grant.parameters)) (described[name] ??= []).push(`${grant.type}: ${meaning}`);
  }
  return Object.fromEntries(Object.entries(described).map(([name, meanings]) => [name, meanings.join('; ')]));
}
