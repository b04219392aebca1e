// The demo's backend service: an app of the demo account that may use client_credentials only,
// with service scopes on the built-in API, so docs/services.md's curl works against `npm start`.
import { registerApp } from '../platform/apps.ts';
import type { OAuthContext } from '../oauth/context.ts';
import type { RefreshRotation } from '../domain/app.ts';

/** What demo.ts records of it (a DemoApp: not imported, demo.ts imports this file). */
export interface DemoServiceApp {
  name: string;
  clientId: string;
  clientSecret: string | null;
  redirectUri: '';
  scope: string;
  pkce: false;
  refreshRotation: RefreshRotation;
  service: true;
}

export const DEMO_SERVICE = { name: 'Demo service', scope: 'source:w' } as const;

export async function seedDemoService(tenantId: number, ctx: OAuthContext): Promise<DemoServiceApp> {
  const { app, clientSecret } = await registerApp(
    {
      tenantId,
      name: DEMO_SERVICE.name,
      description: 'A backend service that reads and writes alert sources of the demo account (client_credentials, no user)',
      redirectUris: [],
      grantTypes: ['client_credentials'],
      serviceScopes: [{ scope: DEMO_SERVICE.scope }],
    },
    ctx,
  );
  return { name: app.name, clientId: app.clientId, clientSecret, redirectUri: '', scope: DEMO_SERVICE.scope, pkce: false, refreshRotation: app.refreshRotation, service: true };
}

/** Its lines in the start banner: credentials, service scopes, and the request that gets a token. */
export function describeDemoService(app: Pick<DemoServiceApp, 'name' | 'clientId' | 'clientSecret' | 'scope'>, publicUrl: string): string[] {
  const secret = app.clientSecret ?? `(rotated: get a new one with: npx gatehouse apps rotate-secret ${app.clientId})`;
  return [
    '',
    `  App "${app.name}" (a backend service: client_credentials, no user)`,
    `    client_id      ${app.clientId}`,
    `    client_secret  ${secret}`,
    `    service scope  ${app.scope}`,
    `    get a token    curl -s -u ${app.clientId}:${app.clientSecret ?? 'SECRET'} -d grant_type=client_credentials ${publicUrl}/api/developers/oauth2/token`,
  ];
}
