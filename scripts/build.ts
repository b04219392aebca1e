// `npm run build [-- --outdir DIR]`: the production bundle. esbuild compiles src/main.ts and every
// module it imports into DIR/gatehouse.js (default dist/), with a source map beside it, so
// production runs on plain node: an idle server under tsx holds the compiler and its transform
// cache (~160-170 MB RSS), on the bundle ~105 MB.
//
// The modules src/ imports lazily (`await import('../ops/metrics.ts')`, the Redis counters) go to
// DIR/chunks/ and still load only when used. In one single file their npm packages (prom-client,
// ioredis) would become top-level imports, loaded by every process whether it uses them or not:
// ~20 MB more per process.
//
// Every npm package stays external and is imported from node_modules at run time: better-sqlite3,
// @node-rs/argon2 and sharp are native modules, pg, ioredis and sharp are loaded lazily, and
// bundling pino would break the files it resolves for its worker threads. That is why the bundle
// must stay inside the project directory (node resolves those packages by walking up to
// node_modules; src/paths.ts finds the stylesheet and package.json the same way).
import { chmodSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } }, strict: true });
const outdir = resolve(values.outdir);
const inProject = relative(ROOT, outdir);
if (inProject === '' || inProject.startsWith('..') || isAbsolute(inProject)) {
  process.stderr.write(`build: --outdir must be a directory below the project root ${ROOT} (got ${outdir}): the bundle finds node_modules and its assets only from inside the project\n`);
  process.exit(1);
}
const outfile = join(outdir, 'gatehouse.js');
const chunks = join(outdir, 'chunks');

// A previous build's chunks have other hashes in their names: start from an empty chunks/ (and
// touch nothing else in DIR, which may be a directory the user keeps other files in).
rmSync(chunks, { recursive: true, force: true });

try {
  await build({
    absWorkingDir: ROOT,
    entryPoints: [{ in: 'src/main.ts', out: 'gatehouse' }],
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // A separate .map file (not inline, which node would parse on every start); without the
    // sources' text, which stay in src/ beside it.
    sourcemap: 'linked',
    sourcesContent: false,
    // Bundling renames clashing top-level names (OAuthError → OAuthError2); logs show error
    // classes by their constructor's name, so keep the real ones.
    keepNames: true,
    // On every output file (esbuild has no entry-only banner); a hashbang line is valid in any module.
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
} catch {
  // esbuild has printed the errors (logLevel) already.
  process.stderr.write('build: failed\n');
  process.exit(1);
}
chmodSync(outfile, 0o755);

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const chunkFiles = readdirSync(chunks).filter((name) => name.endsWith('.js'));
const chunkBytes = chunkFiles.reduce((sum, name) => sum + statSync(join(chunks, name)).size, 0);
process.stdout.write(
  `built ${relative(process.cwd(), outfile)} (${kib(statSync(outfile).size)}; ${chunkFiles.length} chunks ${kib(chunkBytes)}; source maps beside them)\n`,
);
