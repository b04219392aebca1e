// Settings of the example apps: where Gatehouse is and which app to be, from the environment or,
// by default, from the demo credentials `npm start` writes into its data dir.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export type ExampleKind = 'webapp' | 'webservice';

export interface ExampleSettings {
  /** Gatehouse's PUBLIC_URL (its issuer), without a trailing slash. */
  gatehouseUrl: string;
  clientId: string;
  /** Only the web service has one. */
  clientSecret?: string;
  /** The example listens on http://localhost:PORT (4597, like ilert's sample app). */
  port: number;
  /** A tenant slug: authorize on its tenant host ({tenant}.{Gatehouse host}) so a signed-in user skips the login. */
  tenant?: string;
  /** Where the client id came from, for the start-up message. */
  source: string;
  /** Something the user should know before clicking (e.g. the registered redirect URL differs). */
  warnings: string[];
}

export const DEFAULT_PORT = 4597;
/** The path each example receives the authorization response on. */
export const CALLBACK_PATH: Record<ExampleKind, string> = { webapp: '/webapp', webservice: '/authorize-result' };

export const redirectUriOf = (kind: ExampleKind, port: number) => `http://localhost:${port}${CALLBACK_PATH[kind]}`;

// What `gatehouse serve --demo` writes (src/cli/demo.ts); only the fields the examples read.
const demoFileSchema = z.object({
  tenant: z.string(),
  // clientSecret is null once the app's secret was rotated (the file never keeps a dead one).
  apps: z.array(z.object({ name: z.string(), clientId: z.string(), clientSecret: z.string().nullable(), redirectUri: z.string(), pkce: z.boolean() })),
});

const envSchema = z.object({
  GATEHOUSE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://localhost:8080' }).default('http://localhost:8080'),
  GATEHOUSE_CLIENT_ID: z.string().min(1).optional(),
  GATEHOUSE_CLIENT_SECRET: z.string().min(1).optional(),
  GATEHOUSE_DATA_DIR: z.string().min(1).default('./data'),
  GATEHOUSE_TENANT: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a tenant slug (lower-case letters, digits, dashes)')
    .optional(),
  EXAMPLE_PORT: z.coerce.number().int().min(0).max(65535, 'must be a port number').default(DEFAULT_PORT),
});

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Reads the settings; throws SettingsError with a message that says what to do. */
export function loadSettings(kind: ExampleKind, env: NodeJS.ProcessEnv = process.env): ExampleSettings {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; '));
  }
  const e = parsed.data;
  const base = { gatehouseUrl: e.GATEHOUSE_URL.replace(/\/+$/, ''), port: e.EXAMPLE_PORT, tenant: e.GATEHOUSE_TENANT, warnings: [] as string[] };
  if (e.GATEHOUSE_CLIENT_ID) {
    if (kind === 'webservice' && !e.GATEHOUSE_CLIENT_SECRET) throw new SettingsError('GATEHOUSE_CLIENT_SECRET is missing: the web service is a confidential client');
    return { ...base, clientId: e.GATEHOUSE_CLIENT_ID, clientSecret: kind === 'webservice' ? e.GATEHOUSE_CLIENT_SECRET : undefined, source: 'GATEHOUSE_CLIENT_ID' };
  }
  return { ...base, ...fromDemoFile(kind, e.GATEHOUSE_DATA_DIR, base.port, base.warnings) };
}

function fromDemoFile(kind: ExampleKind, dataDir: string, port: number, warnings: string[]) {
  const file = resolve(join(dataDir, 'demo-credentials.json'));
  if (!existsSync(file)) {
    throw new SettingsError(
      `no client id: set GATEHOUSE_CLIENT_ID${kind === 'webservice' ? ' and GATEHOUSE_CLIENT_SECRET' : ''}, or start Gatehouse once with \`npm start\` so that ${file} exists`,
    );
  }
  const demo = demoFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!demo.success) throw new SettingsError(`${file} is not a Gatehouse demo credentials file`);
  // The demo registers one confidential app for the backend flow and one public (PKCE) app for the browser.
  const app = demo.data.apps.find((candidate) => candidate.pkce === (kind === 'webapp'));
  if (!app) throw new SettingsError(`${file} has no ${kind === 'webapp' ? 'public (PKCE)' : 'confidential'} app`);
  const redirectUri = redirectUriOf(kind, port);
  if (app.redirectUri !== redirectUri) {
    warnings.push(
      `the demo app "${app.name}" is registered for ${app.redirectUri}, not ${redirectUri}; add it with: npx gatehouse apps update ${app.clientId} --redirect-uri ${app.redirectUri} --redirect-uri ${redirectUri}`,
    );
  }
  if (kind === 'webservice' && app.clientSecret === null) {
    throw new SettingsError(
      `the secret of the demo app "${app.name}" was rotated, and ${file} no longer holds it: set GATEHOUSE_CLIENT_ID=${app.clientId} and GATEHOUSE_CLIENT_SECRET to the secret \`npx gatehouse apps rotate-secret ${app.clientId}\` prints`,
    );
  }
  return { clientId: app.clientId, clientSecret: kind === 'webservice' ? (app.clientSecret ?? undefined) : undefined, source: `${file} (app "${app.name}")` };
}

/** The authorize endpoint on the tenant's host: `http://localhost:8080/…` → `http://acme.localhost:8080/…`. */
export function tenantHostUrl(url: string, tenant: string): string {
  const tenantUrl = new URL(url);
  tenantUrl.hostname = `${tenant}.${tenantUrl.hostname}`;
  return tenantUrl.toString();
}
