// The `claims` column of codes and families (migration 021): the individual claims an
// authorization request asked for, as JSON {"userinfo": [...], "id_token": [...]}; null: none.
import type { RequestedClaims } from '../../domain/tokens.ts';

const names = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export function toRequestedClaims(json: string | null): RequestedClaims | null {
  if (json === null) return null;
  const stored = JSON.parse(json) as { userinfo?: unknown; id_token?: unknown };
  return { userinfo: names(stored.userinfo), idToken: names(stored.id_token) };
}

export const requestedClaimsJson = (claims: RequestedClaims | null | undefined): string | null =>
  claims ? JSON.stringify({ userinfo: claims.userinfo, id_token: claims.idToken }) : null;

/** The claims only where a row has them, so rows without read exactly as before. */
export const withRequestedClaims = (json: string | null): { claims?: RequestedClaims } => {
  const claims = toRequestedClaims(json);
  return claims ? { claims } : {};
};
