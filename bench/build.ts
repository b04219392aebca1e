// Both servers run as operators would run them in production: built JavaScript on plain node,
// not TypeScript through tsx (whose compiler and transform cache cost ~55 MB per process).
// Gatehouse is built by its own production build (`npm run build`, scripts/build.ts); the peer's
// server file by esbuild with the same settings. The output lives inside the project (its npm
// packages resolve from node_modules there) and is removed after the run.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
const run = promisify(execFile);

export interface BuiltServers {
  /** `node <gatehouse>` is the `gatehouse` command. */
  gatehouse: string;
  /** `node <peer>` runs bench/peer/oidc-provider-server.ts. */
  peer: string;
  remove(): void;
}

export async function buildServers(): Promise<BuiltServers> {
  const dir = join(ROOT, '.tmp', `bench-build-${process.pid}`);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/build.ts'), '--outdir', join(dir, 'gatehouse')], { cwd: ROOT, timeout: 120_000 });
    await build({
      entryPoints: [join(import.meta.dirname, 'peer/oidc-provider-server.ts')],
      outfile: join(dir, 'peer/oidc-provider-server.js'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
  } catch (error) {
    remove();
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`building the servers failed: ${stderr || String(error)}`);
  }
  return { gatehouse: join(dir, 'gatehouse/gatehouse.js'), peer: join(dir, 'peer/oidc-provider-server.js'), remove };
}
