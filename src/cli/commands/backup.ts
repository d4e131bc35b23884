import { chmodSync, existsSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadConfigFile } from '../../adapters/config-file/load.js';
import { DB_FILE_NAME } from '../../adapters/sqlite/storage.js';
import type { CommandOutput } from '../output.js';
import { DEFAULT_CONFIG_FILE } from './run.js';

export const BACKUP_USAGE = `Usage: quietwatt backup FILE [--config FILE] [--force]

Copies the service's SQLite store (${DB_FILE_NAME} under the config's storage.dir) to FILE with
SQLite's online backup API, while the service runs: the copy is one consistent snapshot, however
much is written meanwhile. The copy is checked (PRAGMA quick_check) and readable by its owner only.
To restore: stop the service, put the copy in place of ${DB_FILE_NAME} (removing any
${DB_FILE_NAME}-wal and -shm beside it), start the service.

Options:
  --config FILE   config file naming storage.dir (default ${DEFAULT_CONFIG_FILE})
  --force         overwrite FILE if it exists
  -h, --help      this text

Exit status: 0 when the copy is made and checked, 1 when it is not, 2 on a usage error.`;

/** `quietwatt backup FILE`: an online, consistent copy of the store. */
export async function backup(args: string[], out: CommandOutput): Promise<number> {
  let values: { config?: string | undefined; force?: boolean | undefined; help?: boolean | undefined };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    out.error(`${error instanceof Error ? error.message : String(error)}\n\n${BACKUP_USAGE}`);
    return 2;
  }
  if (values.help) {
    out.log(BACKUP_USAGE);
    return 0;
  }
  const target = positionals[0];
  if (target === undefined || positionals.length > 1) {
    out.error(BACKUP_USAGE);
    return 2;
  }
  const configFile = values.config ?? DEFAULT_CONFIG_FILE;
  const loaded = loadConfigFile(configFile);
  if (!loaded.ok) {
    for (const error of loaded.errors) out.error(error.message);
    out.error(`no backup made: ${configFile} is not valid (${loaded.errors.length} error(s)).`);
    return 1;
  }
  const source = join(resolve(loaded.config.storage.dir), DB_FILE_NAME);
  if (!existsSync(source)) {
    out.error(`no store at ${source}: has the service run with this config?`);
    return 1;
  }
  if (existsSync(target) && !values.force) {
    out.error(`${target} exists; pass --force to overwrite it`);
    return 1;
  }
  if (values.force) rmSync(target, { force: true });
  // Read-only: the backup never writes to the service's file, and needs no write lock on it.
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target);
  } catch (error) {
    out.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
    rmSync(target, { force: true });
    return 1;
  } finally {
    db.close();
  }
  // The store holds token hashes and the audit log: the copy is as private as the original.
  chmodSync(target, 0o600);
  const copy = new Database(target, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      out.error(`the copy in ${target} failed its check: ${String(check)}`);
      return 1;
    }
  } finally {
    copy.close();
  }
  out.log(`backed up ${source} to ${target} (${statSync(target).size} bytes, checked)`);
  return 0;
}
