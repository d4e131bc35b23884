import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ERR_OPEN, SqliteStoreError } from './errors.js';
import { secureDatabaseFile, secureDatabasePath } from './file-mode.js';
import type { Migration } from './migrations/types.js';

/** Backups kept next to the database; the oldest go first. A backup per upgrade is enough. */
export const BACKUPS_KEPT = 3;

const BACKUP_SUFFIX = /^\.v(\d+)\.backup$/;

/** `quietwatt.db.v6.backup`: the schema version the copy is at, in its name. */
export function backupPathFor(path: string, version: number): string {
  return `${path}.v${version}.backup`;
}

export interface DatabaseBackup {
  readonly path: string;
  /** Schema version of the copy (the version the database had before the upgrade). */
  readonly version: number;
}

/** Backups of `path` on disk, newest version first. */
export function listBackups(path: string): DatabaseBackup[] {
  const dir = dirname(path);
  const name = basename(path);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(name))
    .map((f) => ({ f, m: BACKUP_SUFFIX.exec(f.slice(name.length)) }))
    .flatMap(({ f, m }) => (m?.[1] === undefined ? [] : [{ path: join(dir, f), version: Number(m[1]) }]))
    .sort((a, b) => b.version - a.version);
}

/** What the file holds, read without changing it: its schema version and whether it has any table. */
export function inspectDatabase(path: string): { readonly version: number; readonly empty: boolean } {
  if (!existsSync(path)) return { version: 0, empty: true };
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    const version = tables.includes('schema_migrations')
      ? ((db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0)
      : 0;
    return { version, empty: tables.length === 0 };
  } finally {
    db.close();
  }
}

/**
 * Copies the database with SQLite's online backup API before any migration touches it, so a
 * failed or regretted upgrade can be undone by putting the copy back. Nothing is copied for a new
 * or empty database, one already at the code's version, or one newer than the code (opening
 * refuses it). The copy is written under a temporary name and renamed, so a crash never leaves a
 * half copy under the real name; then only the newest `keep` backups stay.
 */
export async function backupBeforeMigrating(
  path: string,
  migrations: readonly Migration[],
  keep: number = BACKUPS_KEPT,
): Promise<DatabaseBackup | undefined> {
  try {
    secureDatabasePath(path);
    return await copyIfUpgrading(path, migrations, keep);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new SqliteStoreError(ERR_OPEN, `cannot back up database ${path} before migrating: ${reason}`, {
      cause: err,
    });
  }
}

async function copyIfUpgrading(
  path: string,
  migrations: readonly Migration[],
  keep: number,
): Promise<DatabaseBackup | undefined> {
  const { version, empty } = inspectDatabase(path);
  if (empty || version >= migrations.length) return undefined;
  const target = backupPathFor(path, version);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    await db.backup(partial);
  } finally {
    db.close();
  }
  secureDatabaseFile(partial);
  renameSync(partial, target);
  for (const old of listBackups(path).slice(Math.max(1, keep))) rmSync(old.path, { force: true });
  return { path: target, version };
}
