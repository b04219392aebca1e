// The layering of src/, read from the imports themselves: dependencies point down only (cli →
// http/pages/api → oauth/platform → keys/store → domain), the protocol core knows no HTTP, and no
// two files import each other through a cycle. Fails on the first import that breaks a rule.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'src');

/**
 * Each area of src/ (a folder, or a file at the top) and its layer: a file may import from a
 * lower layer and from its own area, never from a higher one. Areas of one layer stay apart but
 * for the pairs in PEERS.
 */
const LAYER: Record<string, number> = {
  domain: 0,
  'lru-map.ts': 0,
  'semaphore.ts': 0,
  'paths.ts': 0,
  'config.ts': 1,
  'config-masking.ts': 2,
  store: 1,
  limits: 1,
  keys: 2,
  oauth: 3,
  platform: 4,
  ops: 5,
  pages: 5,
  docs: 6,
  api: 7,
  http: 7,
  'app.ts': 8,
  cli: 9,
  'main.ts': 10,
};

/** The resource API and the HTTP layer are one layer: api handlers use http's route and error helpers, the route table collects api's routes. */
const PEERS = new Set(['api→http', 'http→api']);

/** Packages that belong to one layer only. */
const PACKAGE_AREAS: [RegExp, string[]][] = [
  [/^(fastify|@fastify\/)/, ['http', 'api', 'app.ts']],
  [/^(kysely|better-sqlite3|pg)$/, ['store']],
  [/^prom-client$/, ['ops']],
  [/^commander$/, ['cli']],
];

/** Areas that reach the store only through the core (ctx.store), never by importing it. */
const NO_STORE_IMPORTS = new Set(['http', 'pages', 'api']);

interface Import {
  from: string;
  to: string;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string): { specifier: string; line: number }[] {
  const text = readFileSync(file, 'utf8');
  const found: { specifier: string; line: number }[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2];
    if (specifier) found.push({ specifier, line: text.slice(0, match.index).split('\n').length });
  }
  return found;
}

const areaOf = (path: string): string => relative(SRC, path).split('/')[0] ?? '';
const shown = (path: string) => relative(ROOT, path);

const files = sourceFiles(SRC);
const internal: Import[] = [];
const external: { from: string; name: string; line: number }[] = [];
for (const file of files) {
  for (const { specifier, line } of importsOf(file)) {
    if (specifier.startsWith('.')) internal.push({ from: file, to: normalize(join(dirname(file), specifier)), line });
    else if (!specifier.startsWith('node:')) external.push({ from: file, name: specifier, line });
  }
}

describe('the layering of src/', () => {
  it('reads the imports of every source file', () => {
    assert.ok(files.length > 100, `${files.length} files`);
    assert.ok(internal.length > 300, `${internal.length} imports`);
    for (const file of files) assert.ok(areaOf(file) in LAYER, `${shown(file)} is in an area the layering names`);
  });

  it('imports only what exists', () => {
    const known = new Set(files);
    for (const { from, to, line } of internal) assert.ok(known.has(to), `${shown(from)}:${line} imports ${shown(to)}, which is not a source file`);
  });

  it('points every import down, never up or sideways', () => {
    const wrong: string[] = [];
    for (const { from, to, line } of internal) {
      const [a, b] = [areaOf(from), areaOf(to)];
      if (a === b || PEERS.has(`${a}→${b}`)) continue;
      const [la, lb] = [LAYER[a] ?? -1, LAYER[b] ?? -1];
      if (lb < la) continue;
      wrong.push(`${shown(from)}:${line} (${a}, layer ${la}) imports ${shown(to)} (${b}, layer ${lb})`);
    }
    assert.deepEqual(wrong, []);
  });

  it('keeps the store behind the core for http, pages and api', () => {
    const wrong = internal.filter(({ from, to }) => NO_STORE_IMPORTS.has(areaOf(from)) && areaOf(to) === 'store').map(({ from, line, to }) => `${shown(from)}:${line} imports ${shown(to)}`);
    assert.deepEqual(wrong, []);
  });

  it('uses each layer-bound package only in its layer (no fastify in the protocol core)', () => {
    const wrong: string[] = [];
    for (const { from, name, line } of external) {
      for (const [pattern, areas] of PACKAGE_AREAS) {
        if (pattern.test(name) && !areas.includes(areaOf(from))) wrong.push(`${shown(from)}:${line} imports ${name} (only ${areas.join(', ')} may)`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('has no import cycle between files', () => {
    const edges = new Map<string, string[]>();
    for (const { from, to } of internal) edges.set(from, [...(edges.get(from) ?? []), to]);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map(shown).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });
});
