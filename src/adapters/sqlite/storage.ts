import { join } from 'node:path';
import type { Component } from '../../ports/component.js';
import type { Logger } from '../../ports/logger.js';
import { createSqliteStores, type SqliteStores } from './create-stores.js';
import { type OpenDatabaseOptions, openDatabase, type SqliteDatabase } from './database.js';
import type { SiteZoneOf } from './ledger-daily.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/** The database file inside the configured storage directory. */
export const DB_FILE_NAME = 'quietwatt.db';

export interface SqliteStorage {
  readonly database: SqliteDatabase;
  readonly stores: SqliteStores;
  /** Register first, so it stops last: every other component has flushed by then. */
  readonly component: Component;
  /** Checkpoints the WAL on a worker thread while the component runs. */
  readonly checkpointer: WalCheckpointer;
}

/**
 * Opens the database in `dir` at once (services need their stores when they are built) and gives
 * the composition root a component that checkpoints the WAL on a worker thread while it runs
 * (see WalCheckpointer) and whose stop checkpoints and closes the database.
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
  const checkpointer = new WalCheckpointer({
    db: database.db,
    path: database.path,
    log,
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
  });
  return {
    database,
    stores: createSqliteStores(database.db, options.zoneOf),
    checkpointer,
    component: {
      name: 'sqlite',
      start: () => checkpointer.start(),
      stop: async () => {
        await checkpointer.stop();
        database.close();
      },
    },
  };
}
