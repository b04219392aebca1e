// `gatehouse serve --workers 2` as an operator runs it: one primary, two workers sharing the port,
// one banner, a crashed worker replaced, and SIGTERM stopping everything with exit code 0.
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DemoCredentials } from '../../src/cli/demo.ts';
import { Browserless, authorizeQuery } from '../helpers/browserless.ts';
import { freePort } from '../../scripts/free-port.ts';
import { spawnTracked } from '../helpers/processes.ts';

const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');
const ENV = { ...process.env, LOG_LEVEL: 'info', GATEHOUSE_SECRET: '', DATABASE_URL: '', GATEHOUSE_WORKERS: '' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The pids of the primary's child processes (its workers). */
function childPids(pid: number): number[] {
  const ps = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return ps.stdout.split('\n').map((line) => Number(line.trim())).filter((n) => n > 0);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** GET /healthz on a fresh connection, so the cluster hands each one to the next worker. */
function health(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

interface Served {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function startServe(dataDir: string, port: number): Served {
  const child = spawnTracked(process.execPath, [BIN, 'serve', '--demo', '--workers', '2', '--port', String(port)], {
    env: { ...ENV, GATEHOUSE_DATA_DIR: dataDir },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** Pids that logged an incoming /healthz request. */
function healthPids(output: string): Set<number> {
  const pids = new Set<number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { pid?: number; msg?: string; req?: { path?: string } };
    if (entry.msg === 'incoming request' && entry.req?.path === '/healthz' && entry.pid) pids.add(entry.pid);
  }
  return pids;
}

describe('gatehouse serve --workers 2', () => {
  let dir: string;
  let port: number;
  let served: Served;
  const everyPid = new Set<number>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-workers-'));
    port = await freePort();
    served = startServe(dir, port);
    await until('the banner', () => served.output().includes('ilert sample webapp'), 25_000);
  });

  after(async () => {
    // Whatever happened, no process of this test outlives it.
    if (served.child.pid) for (const pid of childPids(served.child.pid)) everyPid.add(pid);
    for (const pid of everyPid) if (alive(pid)) process.kill(pid, 'SIGKILL');
    served.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the banner and the demo credentials once, and two worker processes answer', async () => {
    const output = served.output();
    assert.equal(output.split('Gatehouse is listening on').length - 1, 1, output);
    assert.equal(output.split('Demo data').length - 1, 1);
    assert.match(output, /Workers: 2 processes/);

    const primary = served.child.pid ?? 0;
    const workers = childPids(primary);
    for (const pid of workers) everyPid.add(pid);
    assert.equal(workers.length, 2, `two workers under the primary, got ${workers.join(', ')}`);
    for (const pid of workers) {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      assert.ok(argv.includes('--max-semi-space-size=4'), `worker ${pid} runs with a 4 MB semi-space: ${argv.join(' ')}`);
    }

    for (let i = 0; i < 12; i++) assert.equal(await health(port), 200);
    const answered = await until('request logs from both workers', () => {
      const pids = healthPids(served.output());
      return pids.size >= 2 && pids;
    });
    assert.deepEqual([...answered].sort(), [...workers].sort(), 'the requests were served by the two workers');
    assert.equal(answered.has(primary), false);
  });

  it('runs a full token flow: sign in, consent, code, tokens, token_info, refresh', async () => {
    const demo = JSON.parse(readFileSync(join(dir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    const backend = demo.apps.find((app) => !app.pkce);
    assert.ok(backend);
    const clientSecret = backend.clientSecret ?? assert.fail('the demo file holds the backend secret');
    const url = `http://localhost:${port}`;
    const browser = new Browserless(url);
    const code = await browser.authorizeCode(
      authorizeQuery({ client_id: backend.clientId, response_type: 'code', redirect_uri: backend.redirectUri, scope: backend.scope, state: 'xyz' }),
      { tenant: demo.tenant, username: demo.username, password: demo.password },
    );

    const token = (form: Record<string, string>) =>
      fetch(`${url}/api/developers/oauth2/token`, { method: 'POST', body: new URLSearchParams({ client_id: backend.clientId, client_secret: clientSecret, ...form }) });
    const exchanged = await token({ grant_type: 'authorization_code', code, redirect_uri: backend.redirectUri });
    assert.equal(exchanged.status, 200);
    const tokens = (await exchanged.json()) as { access_token: string; refresh_token: string };
    assert.ok(tokens.refresh_token);

    // Several fresh connections, so both workers check the same token against the shared store.
    for (let i = 0; i < 4; i++) {
      const info = await fetch(`${url}/api/developers/oauth2/token_info`, {
        method: 'POST',
        headers: { connection: 'close' },
        body: new URLSearchParams({ token: tokens.access_token }),
      });
      const body = (await info.json()) as Record<string, unknown>;
      assert.deepEqual({ active: body.active, tenant_id: body.tenant_id, username: body.username, scope: body.scope }, { active: true, tenant_id: demo.tenant, username: 'admin', scope: backend.scope });
    }

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    assert.equal(refreshed.status, 200);
    const again = (await refreshed.json()) as { access_token: string };
    const user = await fetch(`${url}/api/users/current`, { headers: { authorization: `Bearer ${again.access_token}` } });
    assert.equal(user.status, 200);
    assert.equal(((await user.json()) as { username: string }).username, 'admin');
  });

  it('replaces a worker killed with SIGKILL and keeps answering meanwhile', async () => {
    const primary = served.child.pid ?? 0;
    const [victim, survivor] = childPids(primary);
    assert.ok(victim && survivor);
    process.kill(victim, 'SIGKILL');
    await until('the killed worker to be gone', () => !alive(victim));
    for (let i = 0; i < 6; i++) assert.equal(await health(port), 200, 'the surviving worker answers');

    const replaced = await until('a replacement worker', () => {
      const pids = childPids(primary);
      return pids.length === 2 && !pids.includes(victim) && pids;
    });
    for (const pid of replaced) everyPid.add(pid);
    assert.ok(replaced.includes(survivor));
    const replacement = replaced.find((pid) => pid !== survivor) ?? 0;
    await until('the replacement to serve', async () => {
      assert.equal(await health(port), 200);
      return healthPids(served.output()).has(replacement);
    });
    assert.match(served.output(), /worker exited; starting a replacement/);
  });

  it('stops the workers and exits 0 on SIGTERM to the primary', async () => {
    const workers = childPids(served.child.pid ?? 0);
    assert.equal(workers.length, 2);
    served.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, 15_000, 'timeout')));
    const code = await Promise.race([served.exit, timeout]);
    clearTimeout(timer);
    assert.equal(code, 0);
    for (const pid of workers) assert.equal(alive(pid), false, `worker ${pid} has exited`);
  });
});

describe('gatehouse serve --workers, refusing to start', () => {
  it('rejects a worker count that is not a positive whole number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-workers-bad-'));
    try {
      const result = spawnSync(process.execPath, [BIN, 'serve', '--workers', '0'], { env: { ...ENV, GATEHOUSE_DATA_DIR: dir }, encoding: 'utf8' });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /--workers: must be a whole number from 1 to 256/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
