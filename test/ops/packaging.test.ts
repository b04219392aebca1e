// Packaging: `npm pack` holds what the `gatehouse` command needs at run time and nothing of the
// tests; everything src/ imports is a runtime dependency (a global install has no devDependencies);
// and the Dockerfile copies only files its .dockerignore lets through. (The install itself —
// npm pack, npm install -g, gatehouse --help — is the documented run in docs/deploy.md.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; dependencies: Record<string, string> };

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    return entry.isDirectory() ? sourceFiles(path) : [path];
  });
}

describe('npm pack', () => {
  const packed = (): Set<string> => {
    const [result] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as [{ files: { path: string }[] }];
    return new Set(result.files.map((file) => file.path));
  };

  it('holds the command, every source file and asset, and no tests, benchmarks or local data', () => {
    const files = packed();
    for (const bin of Object.values(pkg.bin)) assert.ok(files.has(bin.replace(/^\.\//, '')), `the bin ${bin}`);
    for (const file of sourceFiles('src').concat(sourceFiles('bin'))) assert.ok(files.has(file), `${file} is packed`);
    assert.ok(files.has('package.json'));
    assert.ok(files.has('README.md'));
    for (const file of files) assert.doesNotMatch(file, /^(test|bench|examples|data|node_modules|\.ci|scripts)\//, `${file} does not belong in the package`);
  });

  it('needs only runtime dependencies: every package src/ and bin/ import is in "dependencies"', () => {
    const builtins = new Set(builtinModules);
    const imported = new Set<string>();
    for (const file of sourceFiles('src').concat(sourceFiles('bin')).filter((f) => /\.(ts|js)$/.test(f))) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, specifier] of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|import\('([^']+)'\)/gm)) {
        if (!specifier || specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier)) continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);
        imported.add(name);
      }
    }
    assert.ok(imported.has('fastify') && imported.has('tsx'), 'the scan finds imports');
    for (const name of imported) assert.ok(pkg.dependencies[name], `${name} is imported at run time, so it must be in "dependencies"`);
  });
});

describe('the Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('builds in one stage and runs in another, as an unprivileged user, with a health check', () => {
    assert.equal((dockerfile.match(/^FROM /gm) ?? []).length, 2);
    assert.match(dockerfile, /^COPY --from=build /m);
    const user = dockerfile.search(/^USER node$/m);
    assert.ok(user > dockerfile.lastIndexOf('FROM ') && user < dockerfile.search(/^ENTRYPOINT/m), 'the runtime stage switches to node before the entrypoint');
    assert.match(dockerfile, /^HEALTHCHECK .*\n?.*\/readyz/m);
    assert.match(dockerfile, /^RUN npm run build$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["node", "dist\/gatehouse\.js"\]$/m);
  });

  it('copies only what exists and what .dockerignore lets through', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] ?? '').split(' '));
    assert.deepEqual(sources, ['package.json', 'package-lock.json', 'client/package.json', 'resource/package.json', 'bin', 'src', 'tsconfig.json', 'scripts/build.ts']);
    const excluded = (path: string) => {
      let out = false;
      for (const rule of ignored) {
        const negated = rule.startsWith('!');
        const pattern = new RegExp(`^${(negated ? rule.slice(1) : rule).replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*')}(/|$)`);
        if (pattern.test(path)) out = !negated;
      }
      return out;
    };
    for (const source of sources) {
      readFileSync(join(ROOT, source === 'bin' ? 'bin/gatehouse.js' : source === 'src' ? 'src/main.ts' : source));
      assert.equal(excluded(source), false, `${source} is sent to the build`);
    }
    for (const local of ['node_modules', 'data', '.git', 'test', 'client/src', 'scripts/test.sh', 'dist']) assert.equal(excluded(local), true, `${local} stays out of the build`);
  });
});
