// The server's lifecycle as an operator sees it, on the real CLI (`gatehouse serve`): SIGTERM and
// SIGINT stop new connections, let a slow request in flight finish, close the store and exit 0,
// alone and with --workers; a request that never ends is cut off after the grace period (exit 1);
// and bad configuration or an unusable database stops the start with one clear line per problem.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BIN, CLEAN_ENV, serve, type Served } from '../ops/serve-process.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const BODY = 'grant_type=refresh_token&refresh_token=ghr_unknown&client_id=00000000000000000000&client_secret=wrong';

/**
 * A token request whose body arrives in two parts: the server has begun it (and logged it) but
 * cannot answer until `finish()` sends the rest. The answer needs the database (the client lookup).
 */
async function slowRequest(server: Served): Promise<{ finish(): void; response: Promise<string>; socket: Socket }> {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (chunk) => (received += String(chunk)));
  const response = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  const half = Math.floor(BODY.length / 2);
  socket.write(
    `POST /api/developers/oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${BODY.length}\r\nConnection: close\r\n\r\n${BODY.slice(0, half)}`,
  );
  await until('the server to begin the slow request', () => server.output().includes('"path":"/api/developers/oauth2/token"'));
  return { finish: () => socket.write(BODY.slice(half)), response, socket };
}

/** Whether a new TCP connection is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('stopping gatehouse serve', { timeout: 180_000 }, () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal}: no new connections, the request in flight finishes, the store is closed, exit 0`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-lifecycle-'));
      const server = await serve(['--workers', '1'], {}, undefined, dataDir);
      try {
        assert.equal(existsSync(join(dataDir, 'gatehouse.sqlite-wal')), true, 'the store is open: its write-ahead log exists');
        const slow = await slowRequest(server);
        server.child.kill(signal);
        await until('the shutdown to begin', () => server.output().includes('shutting down'));

        const deadline = Date.now() + 5000;
        while (!(await refused(server.port))) {
          if (Date.now() > deadline) assert.fail('new connections are still accepted while draining');
          await sleep(100);
        }
        assert.equal(server.child.exitCode, null, 'still running while a request is in flight');
        await sleep(300);
        assert.equal(server.child.exitCode, null, 'still waiting for the request');
        slow.finish();
        const response = await slow.response;
        assert.match(response, /^HTTP\/1\.1 401 /, 'the request got its real answer, which needed the database');
        assert.match(response, /"error":"invalid_client"/);
        assert.equal(await server.exited, 0);
        assert.match(server.output(), /"msg":"stopped"/);
        // better-sqlite3 checkpoints and removes the write-ahead log when the last connection closes.
        assert.equal(existsSync(join(dataDir, 'gatehouse.sqlite-wal')), false, 'the store was closed');
      } finally {
        await server.stop('SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }

  it('cuts off a request that never finishes after --shutdown-grace-seconds, with exit code 1', async () => {
    const server = await serve(['--workers', '1', '--shutdown-grace-seconds', '1']);
    try {
      const slow = await slowRequest(server);
      const started = Date.now();
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 1);
      const took = Date.now() - started;
      assert.ok(took >= 900 && took < 6000, `exited after the 1 s grace period (took ${took} ms)`);
      assert.match(server.output(), /did not finish within the grace period/);
      slow.socket.destroy();
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('with --workers 2: the worker finishes the request in flight, every process exits, the primary with 0', async () => {
    const server = await serve(['--workers', '2'], {}, /Workers: 2 processes/);
    try {
      const slow = await slowRequest(server);
      server.child.kill('SIGTERM');
      await until('the workers to begin shutting down', () => (server.output().match(/shutting down: no new connections/g) ?? []).length === 2);
      await sleep(300);
      assert.equal(server.child.exitCode, null, 'the primary waits for the busy worker');
      slow.finish();
      assert.match(await slow.response, /^HTTP\/1\.1 401 /);
      assert.equal(await server.exited, 0);
      assert.match(server.output(), /"msg":"all workers stopped"/);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});

describe('starting gatehouse serve with a bad configuration', { timeout: 120_000 }, () => {
  const start = (args: string[], env: Record<string, string> = {}) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-lifecycle-bad-'));
    try {
      const result = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
        env: { ...process.env, ...CLEAN_ENV, GATEHOUSE_DATA_DIR: dataDir, ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { code: result.status, stderr: result.stderr.trim().split('\n'), stdout: result.stdout };
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };

  it('names every bad setting on its own line and exits 1', () => {
    const result = start(['--public-url', 'auth.example.com', '--workers', 'many'], { DATABASE_URL: 'mysql://db/gatehouse', GATEHOUSE_METRICS_TOKEN: 'short' });
    assert.equal(result.code, 1);
    assert.deepEqual(result.stderr, [
      'gatehouse: bad configuration:',
      '--public-url: must be an absolute http or https URL, such as https://auth.example.com',
      'DATABASE_URL: must be a postgres:// or postgresql:// URL (unset it to use the embedded SQLite store)',
      '--workers: must be a whole number from 1 to 256',
      'GATEHOUSE_METRICS_TOKEN: must be at least 16 characters',
    ]);
  });

  it('names a config file problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-lifecycle-file-'));
    try {
      const file = join(dir, 'gatehouse.json');
      writeFileSync(file, JSON.stringify({ publicUrl: 'https://auth.example.com/oauth' }));
      const result = start(['--config', file]);
      assert.equal(result.code, 1);
      assert.deepEqual(result.stderr, ['gatehouse: bad configuration:', `${file}: "publicUrl": must not have a path`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const workers of ['1', '2']) {
    it(`says DATABASE_URL is unreachable, without its password, and exits 1 (--workers ${workers})`, () => {
      const result = start(['--workers', workers], { DATABASE_URL: 'postgres://gatehouse:hunter2-secret@127.0.0.1:1/gatehouse' });
      assert.equal(result.code, 1);
      assert.deepEqual(result.stderr, ['gatehouse: DATABASE_URL: cannot use PostgreSQL at 127.0.0.1:1/gatehouse: connection refused']);
      assert.ok(!result.stdout.includes('hunter2') && !result.stderr.join('').includes('hunter2'));
    });
  }

  it('says REDIS_URL is unreachable, without its password', () => {
    const result = start(['--workers', '1', '--redis-url', 'redis://:hunter2-secret@127.0.0.1:1']);
    assert.equal(result.code, 1);
    assert.deepEqual(result.stderr, ['gatehouse: REDIS_URL: cannot reach Redis at 127.0.0.1:1: connection refused'], 'one line, the real reason');
    assert.ok(!result.stderr.join('').includes('hunter2'));
  });

  it('says the data dir cannot be used', () => {
    const result = start(['--workers', '1', '--data-dir', '/etc/hostname/data']);
    assert.equal(result.code, 1);
    assert.deepEqual(result.stderr, ['gatehouse: GATEHOUSE_DATA_DIR: cannot open the SQLite database in /etc/hostname/data: a part of the path is not a directory']);
  });

  it('says the port is taken', async () => {
    const running = await serve(['--workers', '1']);
    try {
      const result = start(['--workers', '1', '--port', String(running.port), '--host', '127.0.0.1']);
      assert.equal(result.code, 1);
      assert.equal(result.stderr.at(-1), `gatehouse: PORT: 127.0.0.1:${running.port} is already in use`);
    } finally {
      await running.stop('SIGKILL');
    }
  });
});
