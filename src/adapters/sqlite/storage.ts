import { join } from 'node:path';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import { createSqliteStores, type SqliteStores } from './create-stores.js';
import { type OpenDatabaseOptions, openDatabase, type SqliteDatabase } from './database.js';
import type { SiteZoneOf } from './ledger-daily.js';

/** The database file inside the configured storage directory. */
export const DB_FILE_NAME = 'quietwatt.db';

export interface SqliteStorage {
  readonly database: SqliteDatabase;
  readonly stores: SqliteStores;
  /** Register first, so it stops last: every other component has flushed by then. */
  readonly component: Component;
}

/**
 * Opens the database in `dir` at once (services need their stores when they are built) and gives
 * the composition root a component whose stop checkpoints and closes it.
 */
export function openSqliteStorage(
  dir: string,
  log: Logger,
  options: OpenDatabaseOptions & { readonly zoneOf?: SiteZoneOf } = {},
): SqliteStorage {
  const database = openDatabase(join(dir, DB_FILE_NAME), options);
  const { migration } = database;
  if (migration.applied.length > 0) {
    log.info(
      {
        path: database.path,
        from: migration.fromVersion,
        to: migration.toVersion,
        applied: migration.applied,
      },
      'database migrated',
    );
  }
  return {
    database,
    stores: createSqliteStores(database.db, options.zoneOf),
    component: {
      name: 'sqlite',
      start: async () => {},
      stop: async () => database.close(),
    },
  };
}
