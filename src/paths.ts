// Files Gatehouse reads at run time (the stylesheet, the console script, package.json) named from
// the project root, so the same code finds them from src/ (run through tsx) and from the bundle
// in dist/ (`npm run build`), where `new URL('../pages/style.css', import.meta.url)` would point
// outside the tree. The root is the nearest directory above this module whose package.json is
// Gatehouse's own; the bundle must therefore stay inside the project directory.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'gatehouse';

let root: string | undefined;

function isProjectRoot(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    // No package.json here, or not JSON: keep walking up.
    return false;
  }
}

/** The project directory: the first one above this module with Gatehouse's package.json. */
export function projectRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (isProjectRoot(dir)) return (root = dir);
    if (dirname(dir) === dir) break;
  }
  throw new Error(`no package.json named "${PACKAGE_NAME}" in ${start} or above: the Gatehouse bundle must stay inside the project directory`);
}

/** An absolute path from one relative to the project root, e.g. `projectFile('src/pages/style.css')`. */
export function projectFile(relativePath: string): string {
  return resolve(projectRoot(), relativePath);
}

/** Gatehouse's version, from its package.json. */
export function projectVersion(): string {
  return (JSON.parse(readFileSync(projectFile('package.json'), 'utf8')) as { version: string }).version;
}
