// Summarises V8 CPU profiles (node --cpu-prof, as `npm run bench -- --cpu-prof DIR` writes them):
// self time by function and by package or source file, and total time of our functions; only
// samples taken during measured runs (load-windows.json), idle time left out.
// Usage: node --import tsx bench/profile-summary.ts DIR [--scenario NAME] [--top N]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      hitCount: z.number().default(0),
      children: z.array(z.number()).default([]),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number(), columnNumber: z.number().default(0) }),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

const ROOT = join(import.meta.dirname, '..');

/** Where a frame's code lives: a package, a file of ours, Node's internals, or V8's own buckets. */
function placeOf(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  if (url.startsWith('node:')) return url;
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1] ?? path;
  return relative(ROOT, path);
}

/**
 * The servers run bundles (bench/build.ts): a frame in a bundle is moved to the source file and
 * line its source map names, so the tables show src/ files and our functions, not one big file.
 */
function sourceMapped(): (frame: { url: string; lineNumber: number; columnNumber: number }) => void {
  const maps = new Map<string, SourceMap | undefined>();
  const mapOf = (file: string) => {
    if (!maps.has(file)) maps.set(file, existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : undefined);
    return maps.get(file);
  };
  return (frame) => {
    if (!frame.url.startsWith('file://') || !frame.url.endsWith('.js')) return;
    const file = fileURLToPath(frame.url);
    const entry = mapOf(file)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (!entry || !('originalSource' in entry)) return;
    frame.url = pathToFileURL(resolve(dirname(file), entry.originalSource)).href;
    frame.lineNumber = entry.originalLine;
  };
}

export interface HotSpot {
  name: string;
  place: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  /** Self time by function. */
  functions: HotSpot[];
  /** Self time by package or file. */
  places: HotSpot[];
  /** Total time (self and callees) of our own functions (src/). */
  ours: HotSpot[];
  files: number;
}

const windowsSchema = z.array(z.object({ scenario: z.string(), startUs: z.number(), endUs: z.number() }));

/** Which samples count: those inside the measured runs the harness recorded (of one scenario, if given). */
function sampleFilter(dir: string, scenario: string | undefined): (timeUs: number) => boolean {
  const path = join(dir, 'load-windows.json');
  if (!existsSync(path)) return () => true;
  const windows = windowsSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).filter((w) => scenario === undefined || w.scenario === scenario);
  return (t) => windows.some((w) => t >= w.startUs && t <= w.endUs);
}

export function summarize(dir: string, scenario?: string): ProfileSummary {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const counted = sampleFilter(dir, scenario);
  const byFunction = new Map<string, HotSpot>();
  const byPlace = new Map<string, HotSpot>();
  const inclusive = new Map<string, HotSpot>();
  let busyMs = 0;
  const toSource = sourceMapped();
  for (const file of files) {
    const profile = profileSchema.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    for (const n of profile.nodes) toSource(n.callFrame);
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parents = new Map<number, number>();
    for (const n of profile.nodes) for (const child of n.children) parents.set(child, n.id);
    // Self time: each sample's delta goes to the frame on top of the stack.
    let timeUs = profile.startTime;
    profile.samples.forEach((id, i) => {
      const node = nodes.get(id);
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      timeUs += profile.timeDeltas[i] ?? 0;
      if (!node || node.callFrame.functionName === '(idle)' || !counted(timeUs)) return;
      busyMs += ms;
      const { functionName, url, lineNumber } = node.callFrame;
      const place = placeOf(url, functionName);
      const key = `${functionName}@${url}:${lineNumber}`;
      const fn = byFunction.get(key) ?? { name: `${functionName || '(anonymous)'}${url ? ` :${lineNumber + 1}` : ''}`, place, ms: 0, share: 0 };
      fn.ms += ms;
      byFunction.set(key, fn);
      const at = byPlace.get(place) ?? { name: place, place, ms: 0, share: 0 };
      at.ms += ms;
      byPlace.set(place, at);
      // Total time: every function of ours on the stack, once per sample however deep it recurses.
      const seen = new Set<string>();
      for (let frame: typeof node | undefined = node; frame; frame = nodes.get(parents.get(frame.id) ?? -1)) {
        const f = frame.callFrame;
        if (!f.url.includes('/src/')) continue;
        const k = `${f.functionName}@${f.url}:${f.lineNumber}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const h = inclusive.get(k) ?? { name: `${f.functionName || '(anonymous)'} :${f.lineNumber + 1}`, place: placeOf(f.url, f.functionName), ms: 0, share: 0 };
        h.ms += ms;
        inclusive.set(k, h);
      }
    });
  }
  const ranked = (m: Map<string, HotSpot>) =>
    [...m.values()].map((h) => ({ ...h, ms: Math.round(h.ms), share: busyMs ? h.ms / busyMs : 0 })).sort((a, b) => b.ms - a.ms);
  return { busyMs: Math.round(busyMs), functions: ranked(byFunction), places: ranked(byPlace), ours: ranked(inclusive), files: files.length };
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

if (process.argv[1] === import.meta.filename) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, scenario: { type: 'string' } } });
  const dir = positionals[0];
  if (!dir) {
    process.stderr.write('usage: node --import tsx bench/profile-summary.ts DIR [--scenario NAME] [--top N]\n');
    process.exit(2);
  }
  const top = Number(values.top);
  const s = summarize(dir, values.scenario);
  const lines = [
    `${s.files} profile(s), ${s.busyMs} ms busy during ${values.scenario ?? 'all'} measured runs (idle left out)`,
    '',
    '| Self time | Share | Where |',
    '|--:|--:|---|',
    ...s.places.slice(0, top).map((h) => `| ${h.ms} ms | ${pct(h.share)} | ${h.name} |`),
    '',
    '| Self time | Share | Function | Where |',
    '|--:|--:|---|---|',
    ...s.functions.slice(0, top).map((h) => `| ${h.ms} ms | ${pct(h.share)} | \`${h.name}\` | ${h.place} |`),
    '',
    '| Total time | Share | Our function | File |',
    '|--:|--:|---|---|',
    ...s.ours.slice(0, top).map((h) => `| ${h.ms} ms | ${pct(h.share)} | \`${h.name}\` | ${h.place} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
