// The demo block of the start banner: how to sign in, and for each demo app its client id, its
// secret while it still works, and an authorize link that works as printed (for the public app
// with a fresh PKCE challenge, and the verifier to redeem the code with).
import { randomBytes } from 'node:crypto';
import type { RefreshRotation } from '../domain/app.ts';
import { sha256Base64Url } from '../oauth/secrets.ts';
import type { DemoApp, DemoState } from './demo.ts';
import { describeDemoService } from './demo-service.ts';

/** What a refresh does to a public client's refresh token under the app's policy. */
const ROTATION: Record<RefreshRotation, (pkce: boolean) => string> = {
  public: (pkce) => (pkce ? 'a new one on every refresh (keep the newest)' : 'kept when refreshed with the secret'),
  always: () => 'a new one on every refresh (keep the newest)',
  never: () => 'the same one on every refresh (not rotated)',
};

/** The authorize query as a browser sends it: spaces as %20, so the link can be pasted anywhere. */
function authorizeUrl(publicUrl: string, app: DemoApp, pkce?: { challenge: string }): string {
  const query = new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: app.redirectUri, scope: app.scope, state: 'demo' });
  if (pkce) {
    query.set('code_challenge', pkce.challenge);
    query.set('code_challenge_method', 'S256');
  }
  return `${publicUrl}/api/developers/oauth2/authorize?${query.toString().replace(/\+/g, '%20')}`;
}

function describeApp(app: DemoApp, publicUrl: string): string[] {
  if (app.service) return describeDemoService(app, publicUrl);
  if (app.device) {
    return ['', `  App "${app.name}" (public client: device flow, no secret)`, `    client_id      ${app.clientId}`, `    try it         npm run example:cli   (signs in with a code at ${publicUrl}/device)`];
  }
  const lines = ['', `  App "${app.name}"${app.pkce ? ' (public client: use PKCE, no secret)' : ''}`, `    client_id      ${app.clientId}`];
  if (!app.pkce) {
    lines.push(
      app.clientSecret === null
        ? `    client_secret  (rotated: the one shown at the first start no longer works; get a new one with: npx gatehouse apps rotate-secret ${app.clientId})`
        : `    client_secret  ${app.clientSecret}`,
    );
  }
  lines.push(`    redirect URL   ${app.redirectUri}`, `    refresh token  ${ROTATION[app.refreshRotation](app.pkce)}`);
  if (!app.pkce) return [...lines, `    authorize      ${authorizeUrl(publicUrl, app)}`];
  // A fresh verifier each start: the link works for this one, and no verifier is ever reused.
  const verifier = randomBytes(32).toString('base64url');
  return [...lines, `    authorize      ${authorizeUrl(publicUrl, app, { challenge: sha256Base64Url(verifier) })}`, `    code_verifier  ${verifier}   (send it with the code instead of a secret)`];
}

export function describeDemo({ credentials, deleted }: DemoState, publicUrl: string): string {
  const lines = [
    '',
    'Demo data (kept in the data dir, demo-credentials.json):',
    `  Sign in at   ${publicUrl}/login`,
    `  Account      ${credentials.tenant}`,
    `  Username     ${credentials.username}`,
    `  Password     ${credentials.password}`,
  ];
  for (const app of credentials.apps) lines.push(...describeApp(app, publicUrl));
  for (const name of deleted) lines.push('', `  App "${name}" was deleted.`);
  return `${lines.join('\n')}\n`;
}
