// The documented sign-in limits hold for `gatehouse serve --workers 2` without Redis: the workers
// count failures together (in the primary), so the lock comes after exactly the documented number
// of failures, whichever worker each attempt reaches, and every attempt after it gets the lock.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DemoCredentials } from '../../src/cli/demo.ts';
import { DEFAULT_LIMITS } from '../../src/limits/rate-limiter.ts';
import { formFields } from '../helpers/browserless.ts';
import { spawnTracked, stopTracked } from '../helpers/processes.ts';
import { freePort } from '../../scripts/free-port.ts';

const BIN = join(import.meta.dirname, '../../bin/gatehouse.js');
const ENV = { ...process.env, LOG_LEVEL: 'info', GATEHOUSE_LOG_FORMAT: 'json', GATEHOUSE_SECRET: '', DATABASE_URL: '', REDIS_URL: '', GATEHOUSE_WORKERS: '', GATEHOUSE_RATE_LIMITS: '' };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a connection of its own (agent: false), so the cluster hands each to the next worker. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, agent: false, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (incoming) => {
      let text = '';
      incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: text }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The pids of the processes that logged a POST /login. */
function signInPids(output: string): number[] {
  const pids: number[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { pid?: number; msg?: string; req?: { method?: string; path?: string } };
    if (entry.msg === 'incoming request' && entry.req?.method === 'POST' && entry.req.path === '/login' && entry.pid) pids.push(entry.pid);
  }
  return pids;
}

describe('sign-in limits with gatehouse serve --workers 2 and no Redis', () => {
  let dir: string;
  let port: number;
  let output = '';
  let child: ReturnType<typeof spawnTracked>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-worker-limits-'));
    port = await freePort();
    child = spawnTracked(process.execPath, [BIN, 'serve', '--demo', '--workers', '2', '--port', String(port), '--host', '127.0.0.1'], {
      env: { ...ENV, GATEHOUSE_DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => (output += String(chunk)));
    child.stderr?.on('data', (chunk) => (output += String(chunk)));
    const deadline = Date.now() + 60_000;
    while (!output.includes('Demo data')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  after(async () => {
    await stopTracked(child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('locks after exactly the documented number of failures, on every worker', async () => {
    const demo = JSON.parse(readFileSync(join(dir, 'demo-credentials.json'), 'utf8')) as DemoCredentials;
    const page = await send(port, 'GET', '/login', {});
    const cookie = ([page.headers['set-cookie'] ?? []].flat()).map((line) => line.split(';')[0]).join('; ');
    const fields = formFields(page.body, '/login');
    const attempt = (password: string) =>
      send(port, 'POST', '/login', { cookie, 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ ...fields, tenant: demo.tenant, username: demo.username, password }).toString());

    const limit = DEFAULT_LIMITS.loginFailuresPerUser.limit;
    for (let i = 0; i < limit; i++) {
      const failed = await attempt(`wrong ${i}`);
      assert.equal(failed.status, 401, `failure ${i + 1} of ${limit} is an ordinary wrong password`);
    }
    // The lock (1 s after the fifth failure), then further attempts at once, on fresh connections:
    // every one of them gets the lock, the right password too.
    const locked = await Promise.all([attempt('wrong again'), attempt(demo.password), attempt('wrong'), attempt(demo.password)]);
    for (const answer of locked) {
      assert.equal(answer.status, 429, `every attempt after the ${limit}th failure is the lock: ${answer.status}`);
      assert.equal(answer.headers['retry-after'], '1');
      assert.match(answer.body, /Too many attempts\. Try again in 1 second\./);
    }

    // Each worker writes its request log lines on its own stdout: on a busy machine the last ones
    // may reach this process a moment after the answers did.
    const logged = limit + locked.length;
    for (const deadline = Date.now() + 10_000; signInPids(output).length < logged && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
    const pids = signInPids(output);
    assert.equal(pids.length, logged);
    assert.equal(new Set(pids.slice(0, limit)).size, 2, 'the failures were spread over both workers');
    assert.equal(new Set(pids.slice(limit)).size, 2, 'both workers answered with the lock');
  });
});
