// Resident memory of the server processes under load, read from /proc/<pid>/status (VmRSS) a few
// times a second; the peak per process and the peak of their sum.
import { readFileSync } from 'node:fs';

export interface RssPeak {
  /** Highest RSS any one process reached, in MB. */
  maxPerProcessMb: number;
  /** Highest sum over the processes at one instant, in MB. */
  maxTotalMb: number;
  samples: number;
}

export function rssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const mb = (kb: number) => Math.round((kb / 1024) * 10) / 10;

/**
 * Samples until stopped. The processes are listed again at each sample, so a replaced worker is
 * followed; the per-process peak counts only the serving ones (a cluster primary just supervises).
 */
export function sampleRss(server: { pids(): number[]; servingPids(): number[] }, intervalMs = 250): { stop(): RssPeak } {
  let maxPerProcess = 0;
  let maxTotal = 0;
  let samples = 0;
  const sample = () => {
    const serving = new Set(server.servingPids());
    let total = 0;
    for (const pid of server.pids()) {
      const kb = rssKb(pid);
      if (kb === undefined) continue;
      total += kb;
      if (serving.has(pid)) maxPerProcess = Math.max(maxPerProcess, kb);
    }
    maxTotal = Math.max(maxTotal, total);
    samples += 1;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { maxPerProcessMb: mb(maxPerProcess), maxTotalMb: mb(maxTotal), samples };
    },
  };
}
