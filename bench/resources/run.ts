// What resource servers cost and how fast they hear of revocations (issue 15's targets):
// - the notes API (examples/notes-api) with the kit against the same routes without any token check,
//   one process each under the same load: the difference per request is what verification adds
//   with a warm cache, and the kit's warm `authenticate` in CPU µs alone;
// - the feed: a user's revocation (what the console's Revoke access does) at one Gatehouse
//   instance, and the time until the notes API, following the other instance's feed, refuses the
//   token. On PostgreSQL when it is reachable, as a deployment of several instances would be.
import { join } from 'node:path';
import { createVerifier } from '@gatehouse/resource';
import { createTenant, createUser } from '../../src/platform/accounts.ts';
import { registerApp } from '../../src/platform/apps.ts';
import { revokeConnection } from '../../src/platform/connections.ts';
import { registerResource } from '../../src/platform/resources.ts';
import { freePort } from '../../scripts/free-port.ts';
import { createBenchDatabase, type BenchDatabase } from '../gatehouse/database.ts';
import { runLoad, type RunStats } from '../load.ts';
import type { BenchOptions } from '../options.ts';
import { startServerProcess, type ServerProcess } from '../server-process.ts';
import { startInstance, type Instance } from './instances.ts';
import { accessToken, BENCH_REDIRECT, signedIn, type TokenSource } from './tokens.ts';

export interface ResourceBenchResult {
  store: string;
  notesApi: {
    connections: number;
    plain: { rps: number; p50Ms: number; p99Ms: number };
    kit: { rps: number; p50Ms: number; p99Ms: number };
    /** 1/kit − 1/plain, one saturated process each: what the kit adds per request. */
    addedMicrosPerRequest: number;
    /** The kit's authenticate() of a remembered token, CPU time, best of five rounds. */
    warmAuthenticateMicros: number;
  };
  feed: { instances: 2; samples: number; medianMs: number; p90Ms: number; maxMs: number };
}

const ROOT = join(import.meta.dirname, '../..');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0;

async function database(log: (line: string) => void): Promise<BenchDatabase> {
  try {
    return await createBenchDatabase('postgres');
  } catch (error) {
    log(`resources: PostgreSQL unavailable (${(error as Error).message}); the feed is measured on SQLite instead`);
    return createBenchDatabase('sqlite');
  }
}

function notesServer(mode: 'plain' | 'kit', port: number, env: Record<string, string>): Promise<ServerProcess> {
  return startServerProcess({
    name: `notes api (${mode})`,
    command: [process.execPath, '--import', 'tsx', join(ROOT, 'bench/resources/notes-server.ts')],
    env: { ...process.env, ...env, MODE: mode, PORT: String(port), NODE_ENV: 'production' },
    url: `http://localhost:${port}`,
    healthPath: mode === 'kit' ? '/.well-known/oauth-protected-resource/api' : '/api/notes',
    ready: /listening on/,
  });
}

async function measureApi(server: ServerProcess, token: string, o: BenchOptions, runs: number): Promise<RunStats[]> {
  const workload = { request: { method: 'GET' as const, path: '/api/notes', headers: { authorization: `Bearer ${token}` } }, expectedStatus: 200 };
  if (o.warmup > 0) await runLoad(server, workload, { seconds: o.warmup, connections: o.connections });
  const stats: RunStats[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await runLoad(server, workload, { seconds: o.duration, connections: o.connections });
    if (run) stats.push(run);
  }
  return stats;
}

const summary = (runs: RunStats[]) => ({ rps: median(runs.map((r) => r.rps)), p50Ms: median(runs.map((r) => r.p50Ms)), p99Ms: median(runs.map((r) => r.p99Ms)) });

export async function runResourceBench(o: BenchOptions, log: (line: string) => void): Promise<ResourceBenchResult> {
  const db = await database(log);
  const closers: (() => Promise<void>)[] = [() => db.drop()];
  try {
    const a: Instance = await startInstance(db);
    closers.push(() => a.close());
    const b: Instance = await startInstance(db);
    closers.push(() => b.close());
    const tenant = await createTenant({ slug: 'bench', name: 'Bench' }, a.ctx);
    const password = 'resource bench password';
    const user = await createUser({ tenantId: tenant.id, username: 'alice', password, role: 'ADMIN' }, a.ctx);
    const { app, clientSecret } = await registerApp({ tenantId: tenant.id, name: 'Notes bench client', redirectUris: [BENCH_REDIRECT] }, a.ctx);
    const kitPort = await freePort();
    const identifier = `http://localhost:${kitPort}/api`;
    const notes = await registerResource({ identifier, name: 'Notes', scopes: [{ kind: 'family', name: 'notes', noun: 'Notes' }, { kind: 'plain', name: 'notes.export', description: 'Export' }] }, {}, a.ctx);
    const source: TokenSource = { url: b.url, tenant: 'bench', username: 'alice', password, app: { clientId: app.clientId, clientSecret }, resource: identifier, scope: 'notes' };
    const browser = await signedIn(source);
    const env = { GATEHOUSE_URL: b.url, IDENTIFIER: identifier, CLIENT_ID: notes.resource.clientId, CLIENT_SECRET: notes.clientSecret };

    log(`resources: notes API with and without the kit, ${o.runs} run(s) of ${o.duration} s each, ${o.connections} connections`);
    const token = await accessToken(browser, source);
    const plain = await notesServer('plain', await freePort(), env);
    closers.push(() => plain.stop());
    const plainRuns = await measureApi(plain, token, o, o.runs);
    await plain.stop();
    const kit = await notesServer('kit', kitPort, env);
    closers.push(() => kit.stop());
    const kitRuns = await measureApi(kit, token, o, o.runs);
    const [plainSummary, kitSummary] = [summary(plainRuns), summary(kitRuns)];
    const added = plainSummary.rps > 0 && kitSummary.rps > 0 ? 1e6 / kitSummary.rps - 1e6 / plainSummary.rps : Number.NaN;

    const verifier = createVerifier({ issuer: b.url, audience: identifier, revocation: 'none' });
    const headers = { authorization: `Bearer ${token}` };
    if (!(await verifier.authenticate(headers, { scope: 'notes' })).ok) throw new Error('the kit refused the bench token');
    let best = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 5; round++) {
      const started = process.cpuUsage();
      for (let i = 0; i < 5000; i++) await verifier.authenticate(headers, { scope: 'notes', method: 'GET', url: '/api/notes' });
      const used = process.cpuUsage(started);
      best = Math.min(best, (used.user + used.system) / 5000);
    }
    await verifier.close();

    const samples = o.smoke ? 3 : 15;
    log(`resources: revocation at instance A → refused at the notes API (following instance B), ${samples} times`);
    const delays: number[] = [];
    for (let i = 0; i < samples; i++) {
      const fresh = await accessToken(browser, source);
      const call = async () => (await fetch(`${identifier}/notes`, { headers: { authorization: `Bearer ${fresh}` } })).status;
      if ((await call()) !== 200) throw new Error('the notes API refused a fresh token');
      await revokeConnection(user.id, app.id, {}, a.ctx);
      const revokedAt = performance.now();
      while ((await call()) === 200) {
        if (performance.now() - revokedAt > 10_000) throw new Error('the notes API still accepted a token 10 s after its revocation');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      delays.push(performance.now() - revokedAt);
    }
    return {
      store: db.description,
      notesApi: { connections: o.connections, plain: plainSummary, kit: kitSummary, addedMicrosPerRequest: Math.round(added * 10) / 10, warmAuthenticateMicros: Math.round(best * 100) / 100 },
      feed: { instances: 2, samples, medianMs: Math.round(median(delays)), p90Ms: Math.round(quantile(delays, 0.9)), maxMs: Math.round(Math.max(...delays)) },
    };
  } finally {
    for (const close of closers.reverse()) await close().catch((error: unknown) => log(`resources cleanup: ${String(error)}`));
  }
}
