// What the benchmark ran on, and how it splits the cores: the load generator (this process) on
// one core, the servers on the others, with taskset when it exists and there are cores to split.
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
}

export interface Pinning {
  pinned: boolean;
  /** Why not, when not pinned; or the split when pinned. */
  description: string;
  /** The taskset CPU list for the servers (undefined: not pinned). */
  serverCpus?: string;
  loadCpus?: string;
}

export function describeMachine(): Machine {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

const hasTaskset = () => spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;

/** Pins this process (the load generator) and says which cores the servers get. */
export function pinLoadGenerator(wanted: boolean, cores: number): Pinning {
  if (!wanted) return { pinned: false, description: 'not pinned (--no-pin)' };
  if (process.platform !== 'linux' || !hasTaskset()) return { pinned: false, description: 'not pinned (taskset is not available)' };
  if (cores < 2) return { pinned: false, description: 'not pinned (one core: nothing to split)' };
  const loadCpus = '0';
  const serverCpus = cores === 2 ? '1' : `1-${cores - 1}`;
  // -a: every thread of this process, so autocannon's sockets and timers stay on core 0.
  const result = spawnSync('taskset', ['-a', '-p', '-c', loadCpus, String(process.pid)], { encoding: 'utf8' });
  if (result.status !== 0) return { pinned: false, description: `not pinned (taskset failed: ${result.stderr.trim()})` };
  return {
    pinned: true,
    loadCpus,
    serverCpus,
    description: `pinned with taskset: load generator on CPU ${loadCpus}, servers on CPU ${serverCpus}`,
  };
}

/** The command that starts `argv` on the servers' cores. */
export function onServerCores(pinning: Pinning, argv: string[]): string[] {
  return pinning.serverCpus === undefined ? argv : ['taskset', '-c', pinning.serverCpus, ...argv];
}
