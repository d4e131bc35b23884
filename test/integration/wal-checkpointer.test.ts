import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/database.js';
import { DB_FILE_NAME, openSqliteStorage } from '../../src/adapters/sqlite/storage.js';
import { WalCheckpointer } from '../../src/adapters/sqlite/wal-checkpointer.js';
import { captureLogger } from '../helpers/logger.js';

const autocheckpoint = (db: SqliteDatabase) => db.db.pragma('wal_autocheckpoint', { simple: true });
const walBytes = (db: SqliteDatabase) => statSync(`${db.path}-wal`).size;

/** Writes about `pages` 4 KB pages of rows, a transaction of 100 at a time. */
function writePages(db: SqliteDatabase, pages: number): void {
  db.db.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const insert = db.db.prepare('INSERT INTO filler (body) VALUES (?)');
  const batch = db.db.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run(Buffer.alloc(3_000, i % 251));
  });
  for (let done = 0; done < pages; done += 100) batch(100);
}

const waitFor = async (ok: () => boolean, ms = 10_000) => {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-checkpoint-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('WAL checkpoints on a worker thread', () => {
  it('turns the main connection’s automatic checkpoint off while the worker copies the WAL', async () => {
    const log = captureLogger();
    const storage = openSqliteStorage(dir, log);
    expect(autocheckpoint(storage.database)).toBe(1000);
    await storage.component.start();
    expect(storage.checkpointer.stats().inWorker).toBe(true);
    expect(autocheckpoint(storage.database)).toBe(0);

    // 3,000 pages: the main connection alone would have checkpointed after 1,000. The worker copies
    // every frame, and the next writer starts the WAL over from its beginning.
    writePages(storage.database, 3_000);
    await waitFor(() => {
      const s = storage.checkpointer.stats();
      return s.checkpoints > 0 && s.walFrames >= 3_000 && s.copiedFrames === s.walFrames;
    });
    const grown = walBytes(storage.database);
    writePages(storage.database, 100);
    expect(walBytes(storage.database)).toBe(grown); // reused from its start, not appended to

    await storage.component.stop();
    expect(storage.database.db.open).toBe(false);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    const reopened = openDatabase(join(dir, DB_FILE_NAME));
    expect(reopened.db.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(3_100);
    reopened.close();
  });

  it('gives the checkpoint back to the main connection when the worker fails', async () => {
    const log = captureLogger();
    const database = openDatabase(join(dir, DB_FILE_NAME));
    // The worker cannot open a folder as a database: a real failure, not an injected one.
    const notADatabase = join(dir, 'folder');
    mkdirSync(notADatabase);
    const checkpointer = new WalCheckpointer({
      db: database.db,
      path: notADatabase,
      log,
    });
    await checkpointer.start();
    expect(checkpointer.stats().inWorker).toBe(false);
    expect(autocheckpoint(database)).toBe(1000);
    expect(log.lines.map((l) => l.msg)).toContain(
      'checkpoint worker failed; checkpointing on the main thread',
    );
    // The main connection checkpoints by itself again: 3,000 pages leave a WAL of about 1,000.
    writePages(database, 3_000);
    expect(walBytes(database)).toBeLessThan(1_200 * 4_200);
    await checkpointer.stop();
    database.close();
  });

  it('restores the automatic checkpoint on stop', async () => {
    const database = openDatabase(join(dir, DB_FILE_NAME));
    const checkpointer = new WalCheckpointer({
      db: database.db,
      path: database.path,
      log: captureLogger(),
    });
    await checkpointer.start();
    expect(autocheckpoint(database)).toBe(0);
    await checkpointer.stop();
    expect(autocheckpoint(database)).toBe(1000);
    expect(checkpointer.stats().inWorker).toBe(false);
    database.close();
  });
});
