// Demo data for `npm start`: on an empty store, a tenant, an admin with a random password, an
// alert source, and two apps registered for ilert's sample app. The credentials are kept in the
// data dir (mode 0600) so later starts can show them again — checked against the store first, so
// that neither the file nor the banner ever offers a secret that no longer works.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newIntegrationKey } from '../api/alert-sources.ts';
import { createTenant, createUser } from '../platform/accounts.ts';
import { registerApp } from '../platform/apps.ts';
import type { OAuthContext } from '../oauth/context.ts';
import { safeEqual, sha256Hex } from '../oauth/secrets.ts';
import type { App, RefreshRotation } from '../domain/app.ts';

export const DEMO_FILE = 'demo-credentials.json';

export interface DemoApp {
  name: string;
  clientId: string;
  /** null once the secret was rotated: only the rotation printed the new one. */
  clientSecret: string | null;
  redirectUri: string;
  scope: string;
  pkce: boolean;
  /** The app's policy as the store has it now. */
  refreshRotation: RefreshRotation;
}

export interface DemoCredentials {
  tenant: string;
  username: string;
  password: string;
  apps: DemoApp[];
}

/** What a start found: the credentials that still hold, and what changed since they were written. */
export interface DemoState {
  credentials: DemoCredentials;
  /** Demo apps deleted since. */
  deleted: string[];
}

const SAMPLES = [
  // A confidential client: refreshes with the secret keep their token under the default policy.
  { name: 'ilert sample backend', redirectUri: 'http://localhost:4597/authorize-result', scope: 'profile source:w', pkce: false, refreshRotation: 'public' },
  // A public client registered WITHOUT rotation on purpose: ilert's sample web page re-sends its
  // ORIGINAL refresh token on every "Refresh token" click, so rotation would answer the second
  // click by revoking its tokens as a reuse. Public apps registered any other way rotate by default.
  { name: 'ilert sample webapp', redirectUri: 'http://localhost:4597/webapp', scope: 'profile source:w offline_access', pkce: true, refreshRotation: 'never' },
] as const;

/** Seeds an empty store, or reads the credentials of an earlier start and brings them up to date. */
export async function seedDemo(ctx: OAuthContext, dataDir: string): Promise<DemoState | undefined> {
  const file = join(dataDir, DEMO_FILE);
  if ((await ctx.store.tenants.count()) > 0) {
    if (!existsSync(file)) return undefined;
    const state = await currentDemo(JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials, ctx);
    writeCredentials(file, state.credentials);
    return state;
  }
  const credentials = await seed(ctx);
  writeCredentials(file, credentials);
  return { credentials, deleted: [] };
}

function writeCredentials(file: string, credentials: DemoCredentials): void {
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
}

/** Drops deleted apps and rotated secrets, and takes each app's settings from the store. */
async function currentDemo(stored: DemoCredentials, ctx: OAuthContext): Promise<DemoState> {
  const apps: DemoApp[] = [];
  const deleted: string[] = [];
  for (const entry of stored.apps) {
    const app = await ctx.store.apps.byClientId(entry.clientId);
    if (!app) deleted.push(entry.name);
    else apps.push(currentApp(entry, app));
  }
  return { credentials: { ...stored, apps }, deleted };
}

function currentApp(entry: DemoApp, app: App): DemoApp {
  const secretWorks = typeof entry.clientSecret === 'string' && app.clientSecretHash !== null && safeEqual(sha256Hex(entry.clientSecret), app.clientSecretHash);
  return {
    ...entry,
    clientSecret: secretWorks ? entry.clientSecret : null,
    redirectUri: app.redirectUris.includes(entry.redirectUri) ? entry.redirectUri : (app.redirectUris[0] ?? entry.redirectUri),
    refreshRotation: app.refreshRotation,
  };
}

async function seed(ctx: OAuthContext): Promise<DemoCredentials> {
  const tenant = await createTenant({ slug: 'demo', name: 'Demo Inc.' }, ctx);
  const password = randomBytes(12).toString('base64url');
  await createUser(
    { tenantId: tenant.id, username: 'admin', password, email: 'admin@demo.example', firstName: 'Ada', lastName: 'Admin', role: 'ADMIN' },
    ctx,
  );
  // Every tenant is made with its Default escalation policy; the demo's alert source uses it.
  const [policy] = await ctx.store.escalationPolicies.list(tenant.id, 0, 1);
  if (!policy) throw new Error('the demo tenant has no escalation policy');
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
  const apps: DemoApp[] = [];
  for (const sample of SAMPLES) {
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
    apps.push({ ...sample, clientId: app.clientId, clientSecret, refreshRotation: app.refreshRotation });
  }
  return { tenant: tenant.slug, username: 'admin', password, apps };
}
