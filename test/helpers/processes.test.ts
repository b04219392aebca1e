// A test that times out while its server is still starting ends the run and leaves no process
// behind: a test file (fixtures/slow-start.fixture.ts) that starts a `gatehouse serve` which takes
// 4 s to start is run under node's test runner, once timing out in its own suite and once in
// the runner's per-file timeout (as scripts/test.sh sets it); from here we check that the run
// ended, failed, and that the server is gone.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { exitOf, spawnTracked } from './processes.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures/slow-start.fixture.ts');

const withoutTestContext = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'NODE_TEST_CONTEXT'));

/** Gone, or a zombie (killed, and waiting for a parent that is itself gone to be reaped). */
function gone(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
}

async function until(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a test that times out while its server starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-hang-'));
  const servers: number[] = [];
  after(() => {
    // Only when the registry failed: this test must not leave the servers behind either.
    for (const pid of servers) if (!gone(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const cases = [
    { name: 'its own suite timeout', runnerArgs: [], env: { FIXTURE_TEST_TIMEOUT_MS: '1000' } },
    { name: "the runner's per-file timeout", runnerArgs: ['--test-timeout=1500'], env: {} },
  ];
  for (const [index, { name, runnerArgs, env }] of cases.entries()) {
    it(`fails by ${name}, ends the run, and leaves no server running`, { timeout: 60_000 }, async () => {
      const pidFile = join(dir, `server-${index}.pid`);
      const run = spawnTracked(process.execPath, ['--import', 'tsx', '--test', ...runnerArgs, FIXTURE], {
        // A runner of its own: without NODE_TEST_CONTEXT, which would make it report into this one.
        env: { ...withoutTestContext(process.env), ...env, SLOW_START_PID_FILE: pidFile, FIXTURE_DATA_DIR: join(dir, `data-${index}`) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      run.stdout?.on('data', (chunk) => (output += String(chunk)));
      run.stderr?.on('data', (chunk) => (output += String(chunk)));
      void until('the server to start', () => existsSync(pidFile), 30_000).then(() => servers.push(Number(readFileSync(pidFile, 'utf8'))), () => undefined);
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([exitOf(run), new Promise((resolve) => (timer = setTimeout(resolve, 30_000, 'still running')))]);
      clearTimeout(timer);
      assert.notEqual(code, 'still running', `the run ended on its own:\n${output}`);
      assert.equal(code, 1, `the timed-out test failed the run:\n${output}`);
      assert.match(output, /test timed out after \d+ms/);
      const server = Number(readFileSync(pidFile, 'utf8'));
      assert.ok(server > 0, 'the server had started');
      await until(`server ${server} to be gone`, () => gone(server), 5000);
    });
  }
});
