// The production bundle (`npm run build`, scripts/build.ts) run on plain node, as the Dockerfile
// runs it: the same CLI as the sources under tsx, `serve --workers 2` with its workers on the
// bundle too, the stylesheet, hashed asset URLs and package.json version found from dist/ through
// src/paths.ts, and a clean exit on SIGTERM. It builds into a directory of its own inside the
// project (a bundle resolves node_modules and its assets only from there) and removes it after.
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../src/paths.ts';
import { npmScript } from '../helpers/example-process.ts';
import { CLEAN_ENV } from '../ops/serve-process.ts';
import { freePort } from '../../scripts/free-port.ts';
import { spawnTracked } from '../helpers/processes.ts';

const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** The environment of every child: none of the developer's settings, and no NODE_OPTIONS that could slip tsx in. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS')) as Record<string, string>;
  return { ...inherited, ...CLEAN_ENV, ...extra };
}

/** `npm run build -- --outdir DIR` without npm in between. */
async function buildInto(outdir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const [program, ...args] = npmScript('build');
  assert.equal(program, 'node');
  try {
    const { stdout, stderr } = await run(process.execPath, [...args, '--outdir', outdir], { cwd: ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** Parent pid of a process, from /proc/<pid>/stat (the field after the parenthesised name). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

const childrenOf = (pid: number) => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((child) => parentOf(child) === pid);
const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
const environment = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);

describe('the production bundle', () => {
  const outdir = join(ROOT, '.tmp', `build-test-${randomBytes(4).toString('hex')}`);
  const bundle = join(outdir, 'gatehouse.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bundle-'));
  const env = childEnv({ GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_SECRET: randomBytes(32).toString('hex'), NODE_ENV: 'production', LOG_LEVEL: 'warn' });
  let built: Awaited<ReturnType<typeof buildInto>>;

  before(async () => {
    built = await buildInto(outdir);
  });

  after(() => {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds one entry file with a hashbang, its lazily loaded chunks and linked source maps, and no npm package inside', () => {
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stdout, new RegExp(`^built ${relative(ROOT, bundle).replaceAll('.', '\\.')} \\(\\d+ KiB; \\d+ chunks \\d+ KiB; source maps beside them\\)\\n$`));
    const code = readFileSync(bundle, 'utf8');
    assert.ok(code.startsWith('#!/usr/bin/env node\n'));
    assert.match(code, /\/\/# sourceMappingURL=gatehouse\.js\.map\n$/);
    const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
    assert.ok(map.sources.includes('../../src/main.ts'), map.sources.join(' '));
    assert.ok(map.sources.includes('../../src/paths.ts'));
    assert.equal(map.sources.filter((source) => source.includes('node_modules')).length, 0, 'npm packages stay external');
    // The metrics modules are imported lazily by src/: in a chunk, so prom-client is not loaded unless used.
    const chunks = readdirSync(join(outdir, 'chunks'));
    assert.ok(chunks.some((name) => /^metrics-\w+\.js$/.test(name)), chunks.join(' '));
    assert.doesNotMatch(code, /from "prom-client"|from "ioredis"/);
    for (const name of chunks.filter((file) => file.endsWith('.js'))) assert.ok(chunks.includes(`${name}.map`), `${name} has its source map`);
  });

  it('refuses an output directory outside the project, whose bundle could not find node_modules', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'gatehouse-outside-'));
    try {
      const failed = await buildInto(outside);
      assert.notEqual(failed.code, 0);
      assert.match(failed.stderr, /--outdir must be a directory below the project root/);
      assert.deepEqual(readdirSync(outside), []);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('finds the same project root from the sources as the bundle does', () => {
    assert.equal(projectRoot(), ROOT);
  });

  it('is the same command as the sources under tsx: --help and migrate print the same', async () => {
    const tsxDataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bundle-tsx-'));
    try {
      const [program, ...tsxArgs] = npmScript('gatehouse');
      assert.equal(program, 'node');
      const viaTsx = (...args: string[]) => run(process.execPath, [...tsxArgs, ...args], { cwd: ROOT, env: { ...env, GATEHOUSE_DATA_DIR: tsxDataDir }, timeout: 30_000 });
      const viaBundle = (...args: string[]) => run(process.execPath, [bundle, ...args], { cwd: tmpdir(), env, timeout: 30_000 });

      const [helpBundle, helpTsx] = [await viaBundle('--help'), await viaTsx('--help')];
      assert.match(helpBundle.stdout, /Usage: gatehouse/);
      assert.equal(helpBundle.stdout, helpTsx.stdout);

      const [migrateBundle, migrateTsx] = [await viaBundle('migrate'), await viaTsx('migrate')];
      assert.match(migrateBundle.stdout, /applied: 001-initial/);
      assert.equal(migrateBundle.stdout, migrateTsx.stdout);
      assert.ok(existsSync(join(dataDir, 'gatehouse.sqlite')), 'the bundle migrated its own data dir');
    } finally {
      rmSync(tsxDataDir, { recursive: true, force: true });
    }
  });

  describe('serve --workers 2 on plain node', () => {
    let child: ChildProcess;
    let output = '';
    let exited: Promise<number | null>;
    let url: string;

    before(async () => {
      assert.equal(built.code, 0, built.stderr);
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      // Started from another directory: the bundle finds its files from where it lies, not the cwd.
      child = spawnTracked(process.execPath, [bundle, 'serve', '--port', String(port), '--host', '127.0.0.1', '--workers', '2'], { cwd: tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.on('data', (chunk) => (output += String(chunk)));
      child.stderr?.on('data', (chunk) => (output += String(chunk)));
      exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      const deadline = Date.now() + 30_000;
      while (!output.includes('Gatehouse is listening on')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the bundle did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

    after(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });

    it('runs the primary and both workers on the bundle, without tsx', () => {
      const primary = child.pid ?? 0;
      const workers = childrenOf(primary);
      assert.equal(workers.length, 2, output);
      for (const pid of [primary, ...workers]) {
        // node [V8 flags] bundle serve …: workers are forked with a smaller young generation.
        const [, ...args] = commandLine(pid);
        const flags = args.slice(0, args.indexOf(bundle));
        const [script, ...rest] = args.slice(flags.length);
        assert.equal(script, bundle, `process ${pid} runs the bundle`);
        assert.deepEqual(flags, pid === primary ? [] : ['--max-semi-space-size=4']);
        assert.equal(rest[0], 'serve');
        assert.ok(!commandLine(pid).some((arg) => /^--(import|loader|require|experimental-loader)/.test(arg) || arg.includes('tsx')), commandLine(pid).join(' '));
        assert.ok(!environment(pid).some((entry) => entry.startsWith('NODE_OPTIONS=')), 'no NODE_OPTIONS');
      }
    });

    it('is ready', async () => {
      const response = await fetch(`${url}/readyz`);
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { status: string }).status, 'ready');
    });

    it('serves the stylesheet and console script of src/pages byte for byte, linked from the pages by their hash', async () => {
      for (const [asset, type] of [
        ['style.css', /^text\/css/],
        ['console.js', /javascript/],
      ] as const) {
        const source = readFileSync(join(ROOT, 'src/pages', asset));
        const response = await fetch(`${url}/assets/${asset}`);
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', type);
        assert.deepEqual(Buffer.from(await response.arrayBuffer()), source);
      }
      const styleHash = createHash('sha256').update(readFileSync(join(ROOT, 'src/pages/style.css'))).digest('hex').slice(0, 12);
      const login = await fetch(`${url}/login`);
      assert.equal(login.status, 200);
      assert.ok((await login.text()).includes(`href="/assets/style.css?v=${styleHash}"`));
    });

    it('serves the authorization server metadata', async () => {
      const response = await fetch(`${url}/.well-known/oauth-authorization-server`);
      assert.equal(response.status, 200);
      const metadata = (await response.json()) as { issuer: string; token_endpoint: string };
      assert.equal(typeof metadata.issuer, 'string');
      assert.match(metadata.token_endpoint, /\/api\/developers\/oauth2\/token$/);
    });

    it("puts package.json's version into the OpenAPI document", async () => {
      const response = await fetch(`${url}/openapi.json`);
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { info: { version: string } }).info.version, pkg.version);
    });

    it('stops every process on SIGTERM with exit code 0', async () => {
      const workers = childrenOf(child.pid ?? 0);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      assert.equal(code, 0, output);
      for (const pid of workers) assert.equal(existsSync(`/proc/${pid}`) && parentOf(pid) === child.pid, false, `worker ${pid} is gone`);
    });
  });
});
