import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Owner-only modes: the database holds token hashes, the setpoint audit and every reading. */
export const DB_DIR_MODE = 0o700;
export const DB_FILE_MODE = 0o600;

const STICKY_BIT = 0o1000;

/** SQLite's companion files of a WAL database; they hold the same data as the file itself. */
const COMPANIONS = ['-wal', '-shm', '-journal'] as const;

/**
 * Creates the database's folder and an empty file owner-only before SQLite opens it (SQLite gives
 * its WAL and shared-memory files the mode of the database file), and narrows both when an older
 * release or another tool created them with the umask's looser mode.
 */
export function secureDatabasePath(path: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: DB_DIR_MODE });
  if (isOwnPrivateFolder(dir)) chmodSync(dir, DB_DIR_MODE);
  // An empty file is a valid empty database; 'a' never truncates one that exists.
  closeSync(openSync(path, 'a', DB_FILE_MODE));
  secureDatabaseFile(path);
}

/** Narrows the file and whichever companion files exist to owner-only. */
export function secureDatabaseFile(path: string): void {
  chmodSync(path, DB_FILE_MODE);
  for (const suffix of COMPANIONS) {
    const companion = `${path}${suffix}`;
    if (existsSync(companion)) chmodSync(companion, DB_FILE_MODE);
  }
}

/**
 * A folder shared on purpose (sticky, like /tmp) or owned by someone else is left as it is: narrowing
 * it would lock other users out of their files, and only its owner may change it anyway.
 */
function isOwnPrivateFolder(dir: string): boolean {
  const stat = statSync(dir);
  if ((stat.mode & STICKY_BIT) !== 0) return false;
  return typeof process.getuid !== 'function' || stat.uid === process.getuid();
}
