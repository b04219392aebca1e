// Every process a test spawns, tracked from the moment it is spawned: killed (with its whole
// process group: a primary's workers, npm's node, Chromium's helpers) when the test file's tests
// are over, when the file is told to stop (the runner's per-file timeout sends SIGTERM), and when
// it exits — so a test that times out while a server is still starting leaves nothing running
// that could keep `npm test` from ending.
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams, type SpawnOptions, type SpawnOptionsWithoutStdio } from 'node:child_process';
import { after } from 'node:test';

const live = new Set<ChildProcess>();
const closers = new Set<() => Promise<void>>();

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Signals the child's process group (it leads one: spawnTracked starts it detached), else the child. */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (!running(child) || child.pid === undefined) return;
  try {
    process.kill(-child.pid, name);
  } catch {
    child.kill(name);
  }
}

/** Kills every tracked process and its group at once; synchronous, so it also works from 'exit'. */
export function killTracked(): void {
  for (const child of live) signal(child, 'SIGKILL');
}

// Registered when the test file imports this module, so the hook belongs to the file's root: it
// runs after every suite's own after-hooks (which stop servers gracefully), and whatever is left goes.
after(async () => {
  killTracked();
  await Promise.allSettled([...closers].map((close) => close()));
});
process.once('exit', killTracked);
for (const [name, number] of [['SIGTERM', 15], ['SIGINT', 2], ['SIGHUP', 1]] as const) {
  process.once(name, () => {
    killTracked();
    process.exit(128 + number);
  });
}

/** `spawn`, tracked: the child leads its own process group, and is killed with it when the file ends. */
export function spawnTracked(command: string, args: readonly string[], options?: SpawnOptionsWithoutStdio): ChildProcessWithoutNullStreams;
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions): ChildProcess;
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  // Spawning failed (no such program): nothing to track.
  child.once('error', () => live.delete(child));
  return child;
}

/** Resolves with the exit code once the child has exited (null after a signal). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  if (!running(child)) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** `signal` (SIGTERM by default) to the child alone, then SIGKILL to its group if it has not exited within `killAfterMs`. */
export async function stopTracked(child: ChildProcess, name: NodeJS.Signals = 'SIGTERM', killAfterMs = 3000): Promise<number | null> {
  const exited = exitOf(child);
  if (running(child)) child.kill(name);
  const timer = setTimeout(() => signal(child, 'SIGKILL'), killAfterMs);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/**
 * Something a library started for the test (Chromium, through playwright): closed when the file's
 * tests are over. (Playwright itself kills its browsers when the process exits or is signalled.)
 */
export function trackClosable<T extends { close(): Promise<void> }>(resource: T): T {
  const close = () => resource.close().catch(() => undefined);
  closers.add(close);
  return resource;
}
