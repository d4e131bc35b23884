import { join } from 'node:path';
import type { Logger } from '../../ports/logger.js';
import { backupBeforeMigrating } from './backup.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/types.js';
import { DB_FILE_NAME } from './storage.js';

/**
 * Copies the database in `dir` with SQLite's backup API when this release is about to migrate it;
 * call before openSqliteStorage, which refuses to migrate a database with data that has no backup.
 */
export async function backupSqliteStorage(
  dir: string,
  log: Logger,
  options: { readonly migrations?: readonly Migration[] } = {},
): Promise<void> {
  const path = join(dir, DB_FILE_NAME);
  const backup = await backupBeforeMigrating(path, options.migrations ?? MIGRATIONS);
  if (backup) log.info({ path, backup: backup.path, version: backup.version }, 'database backed up');
}
