import type Database from 'better-sqlite3';
import { ERR_BAD_MIGRATIONS, ERR_NO_BACKUP, ERR_SCHEMA_TOO_NEW, SqliteStoreError } from './errors.js';
import type { Migration } from './migrations/types.js';

export interface MigrationResult {
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly applied: readonly string[];
}

/** Versions must run 1, 2, 3, ... so that "the database's version" means one set of applied steps. */
export function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new SqliteStoreError(
        ERR_BAD_MIGRATIONS,
        `migration list out of order: position ${i + 1} holds version ${m.version} ('${m.name}'), expected ${i + 1}`,
      );
    }
  });
}

export function schemaVersion(db: Database.Database): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** True when the database has no table at all: a new file, nothing to lose, nothing to back up. */
export function isEmptyDatabase(db: Database.Database): boolean {
  const row = db
    .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .get() as { n: number };
  return row.n === 0;
}

/**
 * Applies every migration newer than the database, each in its own IMMEDIATE transaction together
 * with its schema_migrations row, re-reading the version inside the lock so that two processes
 * opening the same file cannot apply a step twice. Refuses a database newer than the code, and an
 * upgrade of a database with data unless `backedUp` says a copy at its version exists.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[],
  path: string,
  backedUp: (version: number) => boolean = () => true,
): MigrationResult {
  checkMigrationList(migrations);
  const empty = isEmptyDatabase(db);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name    TEXT NOT NULL
  )`);
  const known = migrations.length;
  const fromVersion = schemaVersion(db);
  if (fromVersion > known) {
    throw new SqliteStoreError(
      ERR_SCHEMA_TOO_NEW,
      `database ${path} has schema version ${fromVersion}, but this QuietWatt knows only up to ${known}: ` +
        'it was written by a newer release. Upgrade QuietWatt or point storage.dir at another directory.',
    );
  }
  if (!empty && fromVersion < known && !backedUp(fromVersion)) {
    throw new SqliteStoreError(
      ERR_NO_BACKUP,
      `database ${path} has schema version ${fromVersion} and needs migrations up to ${known}, ` +
        'but no backup of it was taken: open it with openDatabaseWithBackup (as `quietwatt run` does).',
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
  const applied: string[] = [];
  for (const m of migrations) {
    const step = db.transaction(() => {
      if (schemaVersion(db) >= m.version) return false;
      m.up(db);
      record.run(m.version, m.name);
      return true;
    });
    if (step.immediate()) applied.push(`${String(m.version).padStart(3, '0')}-${m.name}`);
  }
  return { fromVersion, toVersion: schemaVersion(db), applied };
}
