import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  readonly dir: string;
  unmount(): void;
}

/**
 * A size-limited tmpfs on a fresh folder, so a test can fill a file system for real. Needs root
 * (CI runs as root): elsewhere undefined, and the test says it is skipped; under CI=true a failure.
 */
export function mountTmpfs(sizeMb: number): Tmpfs | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'qw-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (process.env.CI === 'true') throw new Error(`CI=true but a tmpfs could not be mounted: ${why}`);
    console.warn(`full-disk test skipped: cannot mount a tmpfs here (${why})`);
    return undefined;
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a tmpfs can be mounted here (tried and unmounted at once); see mountTmpfs. */
export function canMountTmpfs(): boolean {
  const probe = mountTmpfs(1);
  probe?.unmount();
  return probe !== undefined;
}

/** Writes `file` until the file system refuses with ENOSPC: what is left for anyone else is nothing. */
export function fillUp(file: string): number {
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    for (let chunk = 1 << 20; chunk >= 512; ) {
      try {
        written += writeSync(fd, Buffer.alloc(chunk));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        chunk >>= 1;
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}
