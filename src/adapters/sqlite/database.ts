import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { backupBeforeMigrating, backupPathFor, type DatabaseBackup } from './backup.js';
import { ERR_OPEN, SqliteStoreError } from './errors.js';
import { secureDatabaseFile, secureDatabasePath } from './file-mode.js';
import { type MigrationResult, migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/types.js';

export interface OpenDatabaseOptions {
  /** Defaults to every migration the code knows; tests pass shorter or longer lists. */
  readonly migrations?: readonly Migration[];
  /** How long a writer waits for another connection's lock before SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
}

export interface SqliteDatabase {
  readonly path: string;
  readonly db: Database.Database;
  readonly migration: MigrationResult;
  /** The copy taken before this open migrated the file, if it did (openDatabaseWithBackup). */
  readonly backup?: DatabaseBackup;
  /** Checkpoints the WAL into the main file, then closes. Safe to call twice. */
  close(): void;
}

const IN_MEMORY = ':memory:';

/**
 * Opens (creating if needed) the QuietWatt database: WAL so readers never block the ingest writer,
 * synchronous=NORMAL (durable at each checkpoint; a power cut can lose the last commits but never
 * corrupts the file), foreign keys on, and a busy timeout. The file, its WAL and its folder are
 * owner-only. Then applies pending migrations, which an existing database with data only gets once
 * a backup at its version lies next to it: openDatabaseWithBackup takes that backup first.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  let db: Database.Database | undefined;
  try {
    if (path !== IN_MEMORY) secureDatabasePath(path);
    const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
    db = new Database(path, { timeout: busyTimeoutMs });
    if (path !== IN_MEMORY) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    const migration = migrate(
      db,
      options.migrations ?? MIGRATIONS,
      path,
      (version) => path === IN_MEMORY || existsSync(backupPathFor(path, version)),
    );
    if (path !== IN_MEMORY) secureDatabaseFile(path);
    const opened = db;
    return {
      path,
      db: opened,
      migration,
      close() {
        if (!opened.open) return;
        if (path !== IN_MEMORY) opened.pragma('wal_checkpoint(TRUNCATE)');
        opened.close();
      },
    };
  } catch (err) {
    db?.close();
    if (err instanceof SqliteStoreError) throw err;
    // Not a database, no permission, disk full...: say which file, keep the original as cause.
    const reason = err instanceof Error ? err.message : String(err);
    throw new SqliteStoreError(ERR_OPEN, `cannot open database ${path}: ${reason}`, { cause: err });
  }
}

/**
 * Opens the database like openDatabase, first copying it with SQLite's online backup API when
 * migrations are pending on a database that holds data (see backupBeforeMigrating).
 */
export async function openDatabaseWithBackup(
  path: string,
  options: OpenDatabaseOptions = {},
): Promise<SqliteDatabase> {
  const backup =
    path === IN_MEMORY ? undefined : await backupBeforeMigrating(path, options.migrations ?? MIGRATIONS);
  const database = openDatabase(path, options);
  return backup ? { ...database, backup } : database;
}
