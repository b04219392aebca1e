// The benchmark: starts Gatehouse (CLI-made data, real sign-in and consent) and the peer side by
// side, drives every scenario with autocannon, and writes <out>/<date>.json and .md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBenchDatabase } from './gatehouse/database.ts';
import { prepareGatehouse } from './gatehouse/fixtures.ts';
import { gatehouseEnv, seedWithCli, startGatehouse } from './gatehouse/server.ts';
import { runLoad, summarize, type RunStats, type Summary } from './load.ts';
import { describeMachine, pinLoadGenerator } from './machine.ts';
import type { BenchOptions } from './options.ts';
import { checkPeer, peerVersion, startPeer } from './peer/peer.ts';
import { checkTargets, markdownReport, type BenchResult, type ScenarioResult } from './report.ts';
import { PEER_SCENARIOS, SCENARIOS, type ScenarioContext, type Workload } from './scenarios.ts';
import type { ServerProcess } from './server-process.ts';

const ROOT = join(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** The commit measured, and whether src/ differed from it. */
function commit(): string {
  try {
    const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${hash} (with uncommitted changes in src/)` : hash;
  } catch {
    return 'unknown commit';
  }
}

function jwtFacts(jwt: string): { alg: string; lifetimeSeconds: number } {
  const [header, payload] = jwt.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8') || '{}') as Record<string, unknown>);
  return { alg: String(header?.alg), lifetimeSeconds: Number(payload?.exp) - Number(payload?.iat) };
}

/** Warm-up, then `runs` measured runs; a run whose pool of single-use inputs ran out is repeated with a bigger one. */
async function measure(server: ServerProcess, o: BenchOptions, label: string, workload: (seconds: number, expectedRate: number) => Promise<Workload>): Promise<Summary> {
  let expectedRate = 1000;
  if (o.warmup > 0) {
    const warm = await runLoad(server, await workload(o.warmup, expectedRate), { seconds: o.warmup, connections: o.connections });
    if (warm) expectedRate = Math.max(expectedRate, warm.rps);
  }
  const runs: RunStats[] = [];
  for (let i = 0; i < o.runs; i++) {
    for (let attempt = 1; ; attempt++) {
      const stats = await runLoad(server, await workload(o.duration, expectedRate), { seconds: o.duration, connections: o.connections });
      if (stats) {
        runs.push(stats);
        expectedRate = Math.max(expectedRate, stats.rps);
        log(`${label} run ${i + 1}/${o.runs}: ${stats.rps} req/s, p99 ${stats.p99Ms} ms, RSS ${stats.rss.maxPerProcessMb} MB${stats.errors ? `, ${stats.errors} errors` : ''}`);
        break;
      }
      if (attempt === 3) throw new Error(`${label}: ran out of single-use inputs three times`);
      expectedRate *= 2;
      log(`${label}: the pool ran out; again with a pool for ${expectedRate} req/s`);
    }
  }
  return summarize(runs);
}

export async function runBenchmark(o: BenchOptions): Promise<{ result: BenchResult; jsonPath: string; markdownPath: string; markdown: string }> {
  const machine = describeMachine();
  const pinning = pinLoadGenerator(o.pin, machine.cores);
  log(`${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node}; ${pinning.description}`);
  const database = await createBenchDatabase(o.db);
  const cleanups: (() => Promise<void>)[] = [() => database.drop()];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  };
  const interrupted = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const env = gatehouseEnv(database.env);
    log(`preparing ${database.description} through the CLI`);
    const seed = await seedWithCli(env);
    const gatehouse = await startGatehouse(env, o.workers, pinning, o.cpuProfDir);
    cleanups.push(() => gatehouse.stop());
    const fixtures = await prepareGatehouse(gatehouse.url, seed);
    const peer = await startPeer(o.workers, pinning);
    cleanups.push(() => peer.server.stop());
    const peerFixtures = await checkPeer(peer.server.url, peer.fixtures);
    log(`gatehouse on ${gatehouse.url}, oidc-provider on ${peer.server.url}, ${o.workers} worker(s) each`);

    const ctx: ScenarioContext = { url: gatehouse.url, fixtures, connections: o.connections };
    const scenarios: ScenarioResult[] = [];
    for (const scenario of SCENARIOS.filter((s) => o.scenarios.includes(s.name))) {
      await scenario.verify(ctx);
      const summary = await measure(gatehouse, o, scenario.name, (seconds, rate) => scenario.workload(ctx, seconds, rate));
      await scenario.verify(ctx);
      const result: ScenarioResult = { name: scenario.name, title: scenario.title, description: scenario.description, gatehouse: summary };
      if (scenario.peer) {
        const peerScenario = PEER_SCENARIOS[scenario.peer];
        const peerSummary = await measure(peer.server, o, `peer ${peerScenario.name}`, async () => peerScenario.workload(peer.server.url, peerFixtures));
        result.peer = { name: peerScenario.name, title: peerScenario.title, summary: peerSummary };
        result.ratio = peerSummary.rps > 0 ? Math.round((summary.rps / peerSummary.rps) * 100) / 100 : undefined;
      }
      scenarios.push(result);
    }
    await cleanup();

    const partial: Omit<BenchResult, 'targets'> = {
      date: new Date().toISOString(),
      smoke: o.smoke,
      machine,
      pinning: { pinned: pinning.pinned, description: pinning.description },
      settings: { db: o.db, store: database.description, workers: o.workers, seconds: o.duration, warmupSeconds: o.warmup, runs: o.runs, connections: o.connections, rateLimits: 'off', nodeEnv: 'production', logLevel: 'warn' },
      gatehouse: { commit: commit(), accessToken: jwtFacts(fixtures.accessToken), refreshRotation: 'never' },
      peer: { name: 'oidc-provider', version: peerVersion(), workers: o.workers, adapter: 'in-memory adapter (its default)', accessToken: peerFixtures.accessToken },
      scenarios,
    };
    const result: BenchResult = { ...partial, targets: checkTargets(partial) };
    mkdirSync(o.outDir, { recursive: true });
    const stamp = `${result.date.slice(0, 19).replace(/:/g, '-')}Z-${o.db}${o.smoke ? '-smoke' : ''}`;
    const jsonPath = join(o.outDir, `${stamp}.json`);
    const markdownPath = join(o.outDir, `${stamp}.md`);
    const markdown = markdownReport(result);
    writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(markdownPath, markdown);
    return { result, jsonPath, markdownPath, markdown };
  } finally {
    await cleanup();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}
