// A real Gatehouse on a fresh store (in-memory SQLite by default, or PostgreSQL), listening on a
// loopback port, with a tenant, users and the two kinds of app the seeds describe.
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.ts';
import { oauthContext } from '../../src/platform/context.ts';
import { KeyRing } from '../../src/keys/key-ring.ts';
import { deriveTokenKey } from '../../src/oauth/refresh-rotation.ts';
import { MemoryCounters } from '../../src/limits/memory-counters.ts';
import { DEFAULT_LIMITS, RateLimiter } from '../../src/limits/rate-limiter.ts';
import { createTenant, createUser } from '../../src/platform/accounts.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { ManualClock } from '../../src/oauth/clock.ts';
import type { OAuthContext } from '../../src/oauth/context.ts';
import type { App } from '../../src/domain/app.ts';
import type { Tenant, User } from '../../src/domain/identity.ts';
import type { Store } from '../../src/store/store.ts';
import type { Config } from '../../src/config.ts';
import { storeKind, type StoreKindName, type TestDatabase } from './stores.ts';
import { freePort } from '../../scripts/free-port.ts';

export const PASSWORD = 'correct horse battery staple';
export const BACKEND_REDIRECT = 'http://localhost:4597/authorize-result';
export const WEBAPP_REDIRECT = 'http://localhost:4597/webapp';
/** Encrypts the signing keys of every test server; a second instance needs the same one. */
export const TEST_SECRET = 'test-secret-test-secret';

export interface TestServerOptions {
  /** Which database (default: SQLite in memory). */
  store?: StoreKindName;
  /** Open this database instead of a fresh one (to share it with other instances). */
  database?: TestDatabase;
  /** Switch the rate limits on (off by default in tests), counting on the server's clock. */
  rateLimits?: boolean;
  /** More for buildApp: a logger (logs are off otherwise), metrics, … */
  appDeps?: Partial<AppDeps>;
  /** Wraps the store the app uses (e.g. to time its operations). */
  wrapStore?: (store: Store) => Store;
  /** Settings beyond the public URL (GATEHOUSE_CIMD_ALLOW_LOOPBACK, dynamic client registration's, …). */
  config?: Partial<Pick<Config, 'cimdAllowLoopback' | 'registration' | 'registrationPurgeDays'>>;
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  ctx: OAuthContext;
  clock: ManualClock;
  store: Store;
  tenant: Tenant;
  otherTenant: Tenant;
  user: User;
  otherUser: User;
  backend: { app: App; clientId: string; clientSecret: string };
  webapp: { app: App; clientId: string; clientSecret: string };
  close(): Promise<void>;
}

/**
 * Closes the app; a connection that never sent a request (a client that gave up while connecting,
 * such as an aborted long poll) is not idle to Node and would hold the close for the keep-alive
 * timeout (72 s), so after a second every connection still open is cut.
 */
async function closeApp(app: FastifyInstance): Promise<void> {
  const cut = setTimeout(() => app.server.closeAllConnections(), 1000);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}

/** A listening app over the store: what one instance (a worker process, a host) of Gatehouse is. */
async function startInstance(store: Store, options: TestServerOptions) {
  const clock = new ManualClock();
  const keys = await KeyRing.load(store, TEST_SECRET, { clock });
  // The issuer must be known before listening; a fixed port keeps it simple and real.
  const probe = await freePort();
  const url = `http://localhost:${probe}`;
  const config = { publicUrl: url, logLevel: 'silent' as const, ...options.config };
  const tokenKey = deriveTokenKey(TEST_SECRET);
  const ctx = oauthContext({ config, store, keys, clock, tokenKey });
  // Most tests send far more requests than a person would: rate limits only where a test asks.
  const limiter = new RateLimiter(new MemoryCounters(() => clock.now().getTime()), DEFAULT_LIMITS, options.rateLimits ?? false);
  const appStore = options.wrapStore ? options.wrapStore(store) : store;
  const app = await buildApp({ config, store: appStore, keys, clock, logger: options.appDeps?.log ? undefined : false, limiter, tokenKey, ...options.appDeps });
  await app.listen({ port: probe, host: '127.0.0.1' });
  return { url, app, ctx, clock, keys };
}

/** One more instance on a test server's database, seeded already (as a second worker process is). */
export async function startAnotherInstance(database: TestDatabase): Promise<{ url: string; close(): Promise<void> }> {
  const store = await database.open();
  const { url, app, keys } = await startInstance(store, {});
  return {
    url,
    async close() {
      keys.close();
      await closeApp(app);
      await store.close();
    },
  };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store = options.database ? await options.database.open() : await storeKind(options.store ?? 'sqlite').open();
  const { url, app, ctx, clock, keys } = await startInstance(store, options);

  const tenant = await createTenant({ slug: 'acme', name: 'Acme Corp' }, ctx);
  const otherTenant = await createTenant({ slug: 'globex', name: 'Globex' }, ctx);
  const user = await createUser({ tenantId: tenant.id, username: 'jane', password: PASSWORD, firstName: 'Jane', lastName: 'Doe', email: 'jane@acme.example', role: 'ADMIN' }, ctx);
  const otherUser = await createUser({ tenantId: otherTenant.id, username: 'otto', password: PASSWORD }, ctx);
  const backend = await registerApp({ tenantId: tenant.id, name: 'Backend app', description: 'Syncs alert sources', redirectUris: [BACKEND_REDIRECT] }, ctx);
  const webapp = await registerApp({ tenantId: tenant.id, name: 'Web app', redirectUris: [WEBAPP_REDIRECT] }, ctx);

  return {
    url,
    app,
    ctx,
    clock,
    store,
    tenant,
    otherTenant,
    user,
    otherUser,
    backend: { app: backend.app, clientId: backend.app.clientId, clientSecret: backend.clientSecret },
    webapp: { app: webapp.app, clientId: webapp.app.clientId, clientSecret: webapp.clientSecret },
    async close() {
      keys.close();
      await closeApp(app);
      await store.close();
    },
  };
}
