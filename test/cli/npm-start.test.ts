// `npm start` as the README starts it, stopped as a service manager or `kill PID` stops it: a
// SIGTERM to the npm process alone must stop the server (npm forwards the signal to its child,
// so the script must run node itself, not through a shell that ignores it). Every process the
// test started is tracked from the start and killed if the test fails, so it cannot hang.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../../scripts/free-port.ts';
import { CLEAN_ENV } from '../ops/serve-process.ts';

const ROOT = join(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The processes below `pid` (children, grandchildren, …), from ps. */
function descendants(pid: number): number[] {
  const rows = spawnSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).stdout.trim().split('\n');
  const children = new Map<number, number[]>();
  for (const row of rows) {
    const [child, parent] = row.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const walk = (of: number) => {
    for (const child of children.get(of) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function until(what: string, probe: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

describe('npm start', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-npm-start-'));
  let npm: ChildProcess | undefined;
  /** Every process seen below npm: killed at the end whatever happened. */
  const tracked = new Set<number>();
  const track = () => {
    if (npm?.pid !== undefined) for (const pid of descendants(npm.pid)) tracked.add(pid);
  };

  after(() => {
    // Its own process group (detached): the group, then anything that left it.
    if (npm?.pid !== undefined && alive(npm.pid)) process.kill(-npm.pid, 'SIGKILL');
    for (const pid of tracked) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the server when the npm process alone gets SIGTERM', async () => {
    const port = await freePort();
    // Two workers, as a machine with several cores runs it: the primary must stop them too.
    npm = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...CLEAN_ENV, LOG_LEVEL: 'warn', PORT: String(port), GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_WORKERS: '2', REDIS_URL: '' },
    });
    let output = '';
    npm.stdout?.on('data', (chunk) => (output += String(chunk)));
    npm.stderr?.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<void>((resolve) => npm?.once('exit', () => resolve()));
    const pid = npm.pid ?? assert.fail('npm started');

    await until('the server to listen', async () => {
      track();
      if (npm?.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
      return (await listening(port)) && output.includes('Workers: 2 processes');
    }, 90_000);
    track();
    const nodes = [...tracked].filter(alive);
    assert.ok(nodes.length >= 3, `a primary and two workers run below npm (${nodes.join(', ')})`);

    process.kill(pid, 'SIGTERM');
    await until('the port to close', async () => !(await listening(port)), 30_000);
    await until('every process below npm to exit', () => nodes.every((node) => !alive(node)), 30_000);
    await Promise.race([exited, sleep(10_000)]);
    assert.equal(alive(pid), false, 'npm itself ends with its child');
  });
});
