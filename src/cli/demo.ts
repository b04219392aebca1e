// Demo data for `npm start`: on an empty store, a tenant, an admin with a random password, an
// alert source, and two apps registered for ilert's sample app. The credentials are kept in the
// data dir (mode 0600) so later starts can show them again.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newIntegrationKey } from '../api/alert-sources.ts';
import { createTenant, createUser } from '../platform/accounts.ts';
import { registerApp } from '../platform/apps.ts';
import type { OAuthContext } from '../oauth/context.ts';
import type { RefreshRotation } from '../domain/app.ts';

export const DEMO_FILE = 'demo-credentials.json';

export interface DemoCredentials {
  tenant: string;
  username: string;
  password: string;
  apps: { name: string; clientId: string; clientSecret: string; redirectUri: string; scope: string; pkce: boolean; refreshRotation?: RefreshRotation }[];
}

export async function seedDemo(ctx: OAuthContext, dataDir: string): Promise<DemoCredentials | undefined> {
  const file = join(dataDir, DEMO_FILE);
  if ((await ctx.store.tenants.count()) > 0) {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials) : undefined;
  }
  const tenant = await createTenant({ slug: 'demo', name: 'Demo Inc.' }, ctx);
  const password = randomBytes(12).toString('base64url');
  await createUser(
    { tenantId: tenant.id, username: 'admin', password, email: 'admin@demo.example', firstName: 'Ada', lastName: 'Admin', role: 'ADMIN' },
    ctx,
  );
  const policy = await ctx.store.escalationPolicies.create(tenant.id, 'Default');
  await ctx.store.alertSources.create(
    tenant.id,
    {
      name: 'Prometheus prod',
      integrationType: 'PROMETHEUS',
      escalationPolicyId: policy.id,
      active: true,
      alertCreation: 'ONE_ALERT_PER_EMAIL',
      alertPriorityRule: 'HIGH',
      autoResolutionTimeout: 'PT4H',
      alertGroupingWindow: null,
      teams: [],
    },
    newIntegrationKey(),
    ctx.clock.now(),
  );
  const samples: { name: string; redirectUri: string; scope: string; pkce: boolean; refreshRotation: RefreshRotation }[] = [
    // A confidential client: refreshes with the secret keep their token under the default policy.
    { name: 'ilert sample backend', redirectUri: 'http://localhost:4597/authorize-result', scope: 'profile source:w', pkce: false, refreshRotation: 'public' },
    // Without rotation on purpose: the sample's web page re-sends its ORIGINAL refresh token on
    // every "Refresh token" click, so rotation would answer the second click by revoking its
    // tokens as a reuse. New apps rotate for public clients by default.
    { name: 'ilert sample webapp', redirectUri: 'http://localhost:4597/webapp', scope: 'profile source:w offline_access', pkce: true, refreshRotation: 'never' },
  ];
  const apps: DemoCredentials['apps'] = [];
  for (const sample of samples) {
    const { app, clientSecret } = await registerApp(
      {
        tenantId: tenant.id,
        name: sample.name,
        description: sample.pkce ? "ilert's sample single-page app (public client, PKCE)" : "ilert's sample backend (confidential client)",
        redirectUris: [sample.redirectUri],
        refreshRotation: sample.refreshRotation,
      },
      ctx,
    );
    apps.push({ ...sample, clientId: app.clientId, clientSecret });
  }
  const credentials: DemoCredentials = { tenant: tenant.slug, username: 'admin', password, apps };
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

export function describeDemo(credentials: DemoCredentials, publicUrl: string): string {
  const lines = [
    '',
    'Demo data (kept in the data dir, demo-credentials.json):',
    `  Sign in at   ${publicUrl}/login`,
    `  Account      ${credentials.tenant}`,
    `  Username     ${credentials.username}`,
    `  Password     ${credentials.password}`,
  ];
  for (const app of credentials.apps) {
    const query = new URLSearchParams({ client_id: app.clientId, response_type: 'code', redirect_uri: app.redirectUri, scope: app.scope, state: 'demo' });
    lines.push(
      '',
      `  App "${app.name}"${app.pkce ? ' (public client: use PKCE, no secret)' : ''}`,
      ...(app.refreshRotation === 'never' ? ["    (registered without refresh-token rotation, for the sample's sake: its page re-sends the original refresh token)"] : []),
      `    client_id      ${app.clientId}`,
      ...(app.pkce ? [] : [`    client_secret  ${app.clientSecret}`]),
      `    redirect URL   ${app.redirectUri}`,
      ...(app.pkce ? [] : [`    authorize      ${publicUrl}/api/developers/oauth2/authorize?${query.toString().replace(/\+/g, '%20')}`]),
    );
  }
  return `${lines.join('\n')}\n`;
}
