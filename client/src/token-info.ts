// ilert's token_info and the revocation endpoint.
import { resolveEndpoints, type ClientConfig } from './config.ts';
import { UnexpectedResponseError } from './errors.ts';
import { postClientForm } from './http.ts';

export type TokenInfo =
  | { active: true; tenant_id: string; username: string; scope: string; app_id: number | string; /** The resource the token is for (Gatehouse; not ilert). */ aud?: string }
  | { active: false };

/** POST token_info: who an access token belongs to and what it may do; `{active: false}` for a dead token. */
export async function tokenInfo(config: ClientConfig, accessToken: string): Promise<TokenInfo> {
  const url = resolveEndpoints(config).tokenInfo;
  // ilert documents token_info with the token alone: no client credentials to leak.
  const body = await postClientForm(config, url, { token: accessToken }, { authenticate: false });
  if (body.active === false) return { active: false };
  const { tenant_id, username, scope, app_id } = body;
  if (
    body.active !== true ||
    typeof tenant_id !== 'string' ||
    typeof username !== 'string' ||
    typeof scope !== 'string' ||
    (typeof app_id !== 'number' && typeof app_id !== 'string')
  ) {
    throw new UnexpectedResponseError(`${url} answered without the fields of token_info`, 200);
  }
  return { active: true, tenant_id, username, scope, app_id, ...(typeof body.aud === 'string' ? { aud: body.aud } : {}) };
}

/**
 * Revokes a refresh token (on Gatehouse: its whole grant, access tokens included) or an access
 * token. RFC 7009: an unknown or already revoked token is not an error.
 */
export async function revoke(config: ClientConfig, token: string, options: { tokenTypeHint?: 'refresh_token' | 'access_token' } = {}): Promise<void> {
  await postClientForm(config, resolveEndpoints(config).revoke, { token, token_type_hint: options.tokenTypeHint });
}
