// The console's example sign-in link for an app: an authorization request that works as it is —
// the app's first redirect URL, a small scope, a state, and a PKCE challenge (S256), which a public
// client must send and every client should (OAuth 2.1). The verifier comes with it, for the
// token request that redeems the code.
import type { App } from '../domain/app.ts';
import { OAUTH_PATHS } from '../oauth/metadata.ts';
import { challengeFor } from '../oauth/pkce.ts';
import { OFFLINE_ACCESS } from '../oauth/scopes.ts';
import { randomHex, randomToken } from '../oauth/secrets.ts';

export interface AuthorizeExample {
  url: string;
  redirectUri: string;
  scope: string;
  /** The PKCE verifier of the link's challenge: 43 base64url characters. */
  verifier: string;
}

/** The example, or undefined for an app that may not use authorization_code (or has no redirect URL). */
export function authorizeExample(app: App, issuer: string): AuthorizeExample | undefined {
  const redirectUri = app.redirectUris[0];
  if (!app.grantTypes.includes('authorization_code') || redirectUri === undefined) return undefined;
  // `profile` reads who signed in; offline_access asks for a refresh token, which a client without
  // its secret gets only so.
  const scope = app.grantTypes.includes('refresh_token') ? `profile ${OFFLINE_ACCESS}` : 'profile';
  const verifier = randomToken('');
  const query = new URLSearchParams({
    client_id: app.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    state: randomHex(8),
    code_challenge: challengeFor(verifier),
    code_challenge_method: 'S256',
  });
  return { url: `${issuer}${OAUTH_PATHS.authorize}?${query.toString()}`, redirectUri, scope, verifier };
}
