import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
  /** Checkpoints the WAL into the main file, then closes. Safe to call twice. */
  close(): void;
}

const IN_MEMORY = ':memory:';

/**
 * Opens (creating if needed) the QuietWatt database: WAL so readers never block the ingest writer,
 * synchronous=NORMAL (durable at each checkpoint; a power cut can lose the last commits but never
 * corrupts the file), foreign keys on, and a busy timeout. Then applies pending migrations.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  if (path !== IN_MEMORY) mkdirSync(dirname(path), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  const db = new Database(path, { timeout: busyTimeoutMs });
  try {
    if (path !== IN_MEMORY) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    const migration = migrate(db, options.migrations ?? MIGRATIONS, path);
    return {
      path,
      db,
      migration,
      close() {
        if (!db.open) return;
        if (path !== IN_MEMORY) db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
