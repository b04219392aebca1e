// Demo data for `npm start`: on an empty store, a tenant, an admin with a random password, an
// alert source, two apps registered for ilert's sample app, and a backend service (demo-service.ts). The credentials are kept in the
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
import { seedDemoService } from './demo-service.ts';
import { DEVICE_CODE_GRANT_TYPE } from '../oauth/grants/device-code.ts';

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
  /** A backend service (client_credentials, no user): `scope` is its service scopes, it has no redirect URL. */
  service?: true;
  /** A device-flow client (examples/cli): no redirect URL, no secret. */
  device?: boolean;
}

export interface DemoCredentials {
  tenant: string;
  username: string;
  password: string;
  apps: DemoApp[];
  /** The CLI's app was seeded (at the first start, or once for older demo data): a deleted one stays deleted. */
  cliAppSeeded?: boolean;
  /** The backend sample got its OpenID Connect logout URIs (at the first start, or once for older demo data): removed ones stay removed. */
  logoutUrisSeeded?: boolean;
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

/** Where examples/webservice's "Sign in with Gatehouse" is sent back after a logout, and receives back-channel logout tokens. */
const BACKEND_LOGOUT_URIS = { postLogoutRedirectUris: ['http://localhost:4597/signed-out'], backchannelLogoutUri: 'http://localhost:4597/backchannel-logout' };

/** The public client examples/cli signs in with by device flow (RFC 8628); the refresh tokens of a public client rotate. */
const DEVICE_SAMPLE = { name: 'Gatehouse sample CLI', scope: 'profile', description: 'examples/cli: signs in from a terminal by device flow (public client, no secret)' } as const;

/** Seeds an empty store, or reads the credentials of an earlier start and brings them up to date. */
export async function seedDemo(ctx: OAuthContext, dataDir: string): Promise<DemoState | undefined> {
  const file = join(dataDir, DEMO_FILE);
  if ((await ctx.store.tenants.count()) > 0) {
    if (!existsSync(file)) return undefined;
    const state = await currentDemo(JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials, ctx);
    // Demo data from before the device flow gets its CLI app once (never again once deleted).
    const tenant = await ctx.store.tenants.bySlug(state.credentials.tenant);
    if (tenant && !state.credentials.cliAppSeeded && !(await ctx.store.apps.byName(DEVICE_SAMPLE.name))) state.credentials.apps.push(await seedDeviceApp(tenant.id, ctx));
    state.credentials.cliAppSeeded = true;
    // Demo data from before OpenID Connect logout gets the backend sample's logout URIs once.
    const backend = state.credentials.apps.find((app) => app.name === SAMPLES[0].name);
    const backendApp = backend && !state.credentials.logoutUrisSeeded ? await ctx.store.apps.byClientId(backend.clientId) : undefined;
    if (backendApp && backendApp.postLogoutRedirectUris.length === 0 && backendApp.backchannelLogoutUri === null) await addBackendLogoutUris(backendApp, ctx);
    state.credentials.logoutUrisSeeded = true;
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
    if (!sample.pkce) await addBackendLogoutUris(app, ctx);
    apps.push({ ...sample, clientId: app.clientId, clientSecret, refreshRotation: app.refreshRotation });
  }
  apps.push(await seedDemoService(tenant.id, ctx));
  apps.push(await seedDeviceApp(tenant.id, ctx));
  return { tenant: tenant.slug, username: 'admin', password, apps, cliAppSeeded: true, logoutUrisSeeded: true };
}

/** App registration takes no OpenID Connect settings: they are set on the registered app. */
async function addBackendLogoutUris(app: App, ctx: OAuthContext): Promise<void> {
  await ctx.store.apps.update(app.id, BACKEND_LOGOUT_URIS, ctx.clock.now());
}

/**
 * The CLI's app: public (no secret, auth method none), allowed the device grant and refresh.
 * Stored directly: app registration asks every app for a redirect URL, which a device has none of.
 */
async function seedDeviceApp(tenantId: number, ctx: OAuthContext): Promise<DemoApp> {
  const app = await ctx.store.apps.create(
    {
      tenantId,
      clientId: randomBytes(10).toString('hex'),
      clientSecretHash: null,
      tokenEndpointAuthMethod: 'none',
      name: DEVICE_SAMPLE.name,
      description: DEVICE_SAMPLE.description,
      redirectUris: [],
      limitToAccount: false,
      grantTypes: [DEVICE_CODE_GRANT_TYPE, 'refresh_token'],
    },
    ctx.clock.now(),
  );
  return { name: app.name, clientId: app.clientId, clientSecret: null, redirectUri: '', scope: DEVICE_SAMPLE.scope, pkce: true, refreshRotation: app.refreshRotation, device: true };
}
