// A real Gatehouse on an in-memory SQLite store, listening on a loopback port, with a tenant,
// users and the two kinds of app the seeds describe.
import type { FastifyInstance } from 'fastify';
import { buildApp, oauthContext } from '../../src/app.ts';
import { KeyRing } from '../../src/keys/key-ring.ts';
import { createTenant, createUser } from '../../src/oauth/accounts.ts';
import { registerApp } from '../../src/oauth/apps.ts';
import { ManualClock } from '../../src/oauth/clock.ts';
import type { OAuthContext } from '../../src/oauth/context.ts';
import { openStore } from '../../src/store/open.ts';
import type { App, Tenant, User } from '../../src/store/types.ts';

export const PASSWORD = 'correct horse battery staple';
export const BACKEND_REDIRECT = 'http://localhost:4597/authorize-result';
export const WEBAPP_REDIRECT = 'http://localhost:4597/webapp';

export interface TestServer {
  url: string;
  app: FastifyInstance;
  ctx: OAuthContext;
  clock: ManualClock;
  tenant: Tenant;
  otherTenant: Tenant;
  user: User;
  otherUser: User;
  backend: { app: App; clientId: string; clientSecret: string };
  webapp: { app: App; clientId: string; clientSecret: string };
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const store = await openStore({ dataDir: '', memory: true });
  const keys = await KeyRing.load(store, 'test-secret-test-secret');
  const clock = new ManualClock();
  // The issuer must be known before listening; a fixed port keeps it simple and real.
  const probe = await import('node:net').then(
    (net) =>
      new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => {
          const port = (s.address() as { port: number }).port;
          s.close(() => resolve(port));
        });
      }),
  );
  const url = `http://localhost:${probe}`;
  const config = { publicUrl: url, logLevel: 'silent' as const };
  const ctx = oauthContext({ config, store, keys, clock });
  const app = await buildApp({ config, store, keys, clock, logger: false });
  await app.listen({ port: probe, host: '127.0.0.1' });

  const tenant = await createTenant({ slug: 'acme', name: 'Acme Corp' }, ctx);
  const otherTenant = await createTenant({ slug: 'globex', name: 'Globex' }, ctx);
  const user = await createUser({ tenantId: tenant.id, username: 'jane', password: PASSWORD, firstName: 'Jane', lastName: 'Doe', email: 'jane@acme.example', role: 'ADMIN' }, ctx);
  const otherUser = await createUser({ tenantId: otherTenant.id, username: 'otto', password: PASSWORD }, ctx);
  await store.escalationPolicies.create(tenant.id, 'Default');
  const backend = await registerApp({ tenantId: tenant.id, name: 'Backend app', description: 'Syncs alert sources', redirectUris: [BACKEND_REDIRECT] }, ctx);
  const webapp = await registerApp({ tenantId: tenant.id, name: 'Web app', redirectUris: [WEBAPP_REDIRECT] }, ctx);

  return {
    url,
    app,
    ctx,
    clock,
    tenant,
    otherTenant,
    user,
    otherUser,
    backend: { app: backend.app, clientId: backend.app.clientId, clientSecret: backend.clientSecret },
    webapp: { app: webapp.app, clientId: webapp.app.clientId, clientSecret: webapp.clientSecret },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
