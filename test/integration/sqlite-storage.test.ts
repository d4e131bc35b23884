import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DB_FILE_NAME, openSqliteStorage } from '../../src/adapters/sqlite/index.js';
import type { Logger } from '../../src/ports/logger.js';

interface Line {
  readonly level: string;
  readonly obj: object;
  readonly msg: string | undefined;
}

function recordingLogger(lines: Line[]): Logger {
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  const log: Logger = {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => log,
  };
  return log;
}

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-storage-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('openSqliteStorage', () => {
  it('opens quietwatt.db in the storage directory and says once that it migrated', async () => {
    const lines: Line[] = [];
    const storageDir = join(dir, 'data');
    const first = openSqliteStorage(storageDir, recordingLogger(lines));
    expect(existsSync(join(storageDir, DB_FILE_NAME))).toBe(true);
    first.stores.settings.set('k', 'v');
    await first.component.start();
    await first.component.stop();
    expect(first.database.db.open).toBe(false);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([['info', 'database migrated']]);

    const second = openSqliteStorage(storageDir, recordingLogger(lines));
    try {
      expect(second.stores.settings.get('k')).toBe('v');
      expect(lines).toHaveLength(1);
    } finally {
      await second.component.stop();
    }
  });
});
