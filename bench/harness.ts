// The benchmark: starts Gatehouse (CLI-made data, real sign-in and consent) and the peer side by
// side, drives every scenario with autocannon, and writes <out>/<date>.json and .md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createBenchDatabase } from './gatehouse/database.ts';
import { prepareGatehouse } from './gatehouse/fixtures.ts';
import { buildServers } from './build.ts';
import { gatehouseEnv, seedWithCli, startGatehouse } from './gatehouse/server.ts';
import { describeMachine, pinLoadGenerator } from './machine.ts';
import { Measurement, measureSideBySide, type LoadWindow } from './measure.ts';
import type { BenchOptions } from './options.ts';
import { checkPeer, peerVersion, startPeer } from './peer/peer.ts';
import { checkTargets, markdownReport, type BenchResult, type ScenarioResult } from './report.ts';
import { PEER_SCENARIOS, SCENARIOS, type ScenarioContext } from './scenarios.ts';
import { runResourceBench } from './resources/run.ts';

const ROOT = join(import.meta.dirname, '..');
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** The commit measured, and whether src/ differed from it; BENCH_COMMIT names it in an export without .git. */
function commit(): string {
  if (process.env.BENCH_COMMIT) return process.env.BENCH_COMMIT;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const hash = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', 'src') !== '' ? `${hash} (with uncommitted changes in src/)` : hash;
  } catch {
    return 'unknown commit (set BENCH_COMMIT)';
  }
}

function jwtFacts(jwt: string): { alg: string; lifetimeSeconds: number } {
  const [header, payload] = jwt.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8') || '{}') as Record<string, unknown>);
  return { alg: String(header?.alg), lifetimeSeconds: Number(payload?.exp) - Number(payload?.iat) };
}

export async function runBenchmark(o: BenchOptions): Promise<{ result: BenchResult; jsonPath: string; markdownPath: string; markdown: string }> {
  const startedAt = new Date().toISOString();
  // What the servers load is what src/ holds now, at their start.
  const measuredCommit = commit();
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
    log('building both servers (npm run build for Gatehouse, esbuild for the peer)');
    const built = await buildServers();
    // CPU profiles point into the bundle: it stays (with its source maps) for DevTools to read.
    if (o.cpuProfDir) log(`the built servers stay in ${dirname(built.gatehouse)} for the profiles`);
    else cleanups.push(async () => built.remove());
    const env = gatehouseEnv(database.env);
    log(`preparing ${database.description} through the CLI`);
    const seed = await seedWithCli(built.gatehouse, env, o.alg);
    const gatehouse = await startGatehouse(built.gatehouse, env, o.workers, pinning, o.cpuProfDir);
    cleanups.push(() => gatehouse.stop());
    const fixtures = await prepareGatehouse(gatehouse.url, seed);
    const gatehouseToken = jwtFacts(fixtures.accessToken);
    if (gatehouseToken.alg !== o.alg) throw new Error(`Gatehouse signs its access tokens with ${gatehouseToken.alg}, not ${o.alg}`);
    const peer = await startPeer(built.peer, o.workers, pinning, o.alg);
    cleanups.push(() => peer.server.stop());
    const peerFixtures = await checkPeer(peer.server.url, peer.fixtures, o.alg);
    log(`gatehouse on ${gatehouse.url}, oidc-provider on ${peer.server.url}, ${o.workers} worker(s) each, access tokens signed with ${o.alg}`);

    const ctx: ScenarioContext = { url: gatehouse.url, fixtures, connections: o.connections };
    const scenarios: ScenarioResult[] = [];
    // With --cpu-prof, profile-summary.ts keeps only samples taken while a scenario's runs were measured.
    const windows: LoadWindow[] = [];
    for (const scenario of SCENARIOS.filter((s) => o.scenarios.includes(s.name))) {
      await scenario.verify(ctx);
      const measurements = [new Measurement(gatehouse, o, scenario.name, (seconds, rate) => scenario.workload(ctx, seconds, rate), log, windows)];
      const peerScenario = scenario.peer && PEER_SCENARIOS[scenario.peer];
      if (peerScenario) measurements.push(new Measurement(peer.server, o, `peer ${peerScenario.name}`, async () => peerScenario.workload(peer.server.url, peerFixtures), log));
      const [summary, peerSummary] = await measureSideBySide(measurements, o.runs);
      if (!summary) throw new Error(`${scenario.name} was not measured`);
      await scenario.verify(ctx);
      const result: ScenarioResult = { name: scenario.name, title: scenario.title, description: scenario.description, gatehouse: summary };
      if (peerScenario && peerSummary) {
        result.peer = { name: peerScenario.name, title: peerScenario.title, summary: peerSummary };
        result.ratio = peerSummary.rps > 0 ? Math.round((summary.rps / peerSummary.rps) * 100) / 100 : undefined;
      }
      scenarios.push(result);
    }
    await cleanup();
    // After the main servers stopped: the notes API and its two Gatehouse instances have the machine.
    const resources = o.resources ? await runResourceBench(o, log) : undefined;
    if (o.cpuProfDir) writeFileSync(join(o.cpuProfDir, 'load-windows.json'), `${JSON.stringify(windows, null, 2)}\n`);

    const partial: Omit<BenchResult, 'targets'> = {
      date: startedAt,
      smoke: o.smoke,
      machine,
      pinning: { pinned: pinning.pinned, description: pinning.description },
      settings: { db: o.db, store: database.description, alg: o.alg, workers: o.workers, seconds: o.duration, warmupSeconds: o.warmup, runs: o.runs, connections: o.connections, rateLimits: 'off', nodeEnv: 'production', logLevel: 'warn' },
      gatehouse: { commit: measuredCommit, accessToken: gatehouseToken, refreshRotation: 'never' },
      peer: { name: 'oidc-provider', version: peerVersion(), workers: o.workers, adapter: 'in-memory adapter (its default)', accessToken: peerFixtures.accessToken },
      scenarios,
      ...(resources ? { resources } : {}),
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
