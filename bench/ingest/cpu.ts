/**
 * CPU time of a process from Linux /proc (all its threads, user and system), so that a bench can say
 * how the machine's cores were shared: on 2 cores the loader, the broker and the consumer compete,
 * and a consumer that uses more CPU slows the loader it is measured against.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Seconds of CPU the process has used so far; NaN when it is gone or /proc is not there. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: the fields counted here come after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return Number.NaN;
  }
}

/** Bytes the process has caused to be written to storage so far (Linux /proc/PID/io); NaN when gone. */
export function writtenBytes(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const line = readFileSync(`/proc/${pid}/io`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('write_bytes:'));
    return Number(line?.split(':')[1]);
  } catch {
    return Number.NaN;
  }
}

/**
 * Counts the CPU of named processes from now. `sample()` reads them (a process that has exited keeps
 * its last reading); `cores()` is each one's CPU seconds per wall second from now to the last sample.
 */
export function cpuMeter(pids: Readonly<Record<string, number | undefined>>): {
  sample(): void;
  cores(): Record<string, number>;
} {
  const startedMs = performance.now();
  const start = new Map(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const last = new Map(start);
  let lastMs = startedMs;
  return {
    sample() {
      lastMs = performance.now();
      for (const [name, pid] of Object.entries(pids)) {
        const s = cpuSeconds(pid);
        if (Number.isFinite(s)) last.set(name, s);
      }
    },
    cores() {
      const wallS = (lastMs - startedMs) / 1000;
      return Object.fromEntries(
        [...start].map(([name, s0]) => [name, ((last.get(name) ?? Number.NaN) - s0) / wallS]),
      );
    },
  };
}
