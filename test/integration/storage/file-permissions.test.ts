import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/adapters/sqlite/database.js';
import { createSqliteStores } from '../../../src/adapters/sqlite/index.js';

let dir: string;
const modeOf = (path: string): number => statSync(path).mode & 0o777;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-perm-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('database file permissions', () => {
  it('creates the folder 0700 and the file, its WAL and shared memory 0600', () => {
    const file = join(dir, 'var', 'quietwatt', 'quietwatt.db');
    const db = openDatabase(file);
    try {
      createSqliteStores(db.db).settings.set('k', 'v');
      expect(modeOf(join(dir, 'var', 'quietwatt'))).toBe(0o700);
      expect(modeOf(file)).toBe(0o600);
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(modeOf(`${file}-wal`)).toBe(0o600);
      expect(modeOf(`${file}-shm`)).toBe(0o600);
    } finally {
      db.close();
    }
  });

  it('narrows a folder and file an older release left readable by others', () => {
    const folder = join(dir, 'storage');
    const file = join(folder, 'quietwatt.db');
    openDatabase(file).close();
    chmodSync(folder, 0o755);
    chmodSync(file, 0o644);
    openDatabase(file).close();
    expect(modeOf(folder)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
  });

  it('leaves a shared sticky folder such as /tmp as it is', () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    writeFileSync(join(shared, 'someone-elses.txt'), 'x');
    openDatabase(join(shared, 'quietwatt.db')).close();
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
    expect(modeOf(join(shared, 'quietwatt.db'))).toBe(0o600);
  });
});
