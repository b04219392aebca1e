// Access tokens for API tests, obtained the way a real backend app gets them: sign in, consent,
// then redeem the code with the client secret.
import { Browserless } from './browserless.ts';
import { BACKEND_REDIRECT, PASSWORD, type TestServer } from './server.ts';
import { postForm, tokenUrl } from './token-client.ts';

export interface TokenOwner {
  tenant: string;
  username: string;
  password?: string;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * Access and refresh token for `scope`, by default for jane of tenant acme, through the backend
 * app. Each call leaves a live refresh token, and Gatehouse keeps at most 10 per user and app (the
 * oldest family, with its access tokens, is revoked), so one test server serves 10 calls per user.
 */
export async function tokensFor(server: TestServer, scope: string, owner: TokenOwner = { tenant: 'acme', username: 'jane' }): Promise<IssuedTokens> {
  const query = new URLSearchParams({
    client_id: server.backend.clientId,
    response_type: 'code',
    redirect_uri: BACKEND_REDIRECT,
    scope,
    state: 'api-test',
  });
  const { location, response } = await new Browserless(server.url).authorize(query.toString(), {
    tenant: owner.tenant,
    username: owner.username,
    password: owner.password ?? PASSWORD,
  });
  const code = location?.searchParams.get('code');
  if (!code) throw new Error(`no code for scope "${scope}" (status ${response.status}, location ${location?.toString() ?? 'none'})`);
  const token = await postForm(tokenUrl(server.url), {
    client_id: server.backend.clientId,
    client_secret: server.backend.clientSecret,
    code,
    grant_type: 'authorization_code',
  });
  const { access_token: accessToken, refresh_token: refreshToken } = token.body;
  if (token.status !== 200 || typeof accessToken !== 'string' || typeof refreshToken !== 'string') {
    throw new Error(`token request for scope "${scope}" failed with status ${token.status}`);
  }
  return { accessToken, refreshToken };
}

/** An access token for `scope` (see tokensFor). */
export async function tokenFor(server: TestServer, scope: string, owner?: TokenOwner): Promise<string> {
  return (await tokensFor(server, scope, owner)).accessToken;
}
