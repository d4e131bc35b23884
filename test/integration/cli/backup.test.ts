import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backup } from '../../../src/cli/commands/backup.js';
import type { CommandOutput } from '../../../src/cli/output.js';
import { ROOT } from '../../unit/config/helpers.js';

let dir: string;
let configFile: string;
let lines: string[];
const out: CommandOutput = { log: (l) => lines.push(l), error: (l) => lines.push(`error: ${l}`) };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-backup-'));
  lines = [];
  mkdirSync(join(dir, 'store'));
  configFile = join(dir, 'config.yaml');
  // The smallest example config, storing under this test's directory.
  const example = readFileSync(join(ROOT, 'config/examples/minimal.yaml'), 'utf8');
  writeFileSync(configFile, `${example}\nstorage: { dir: ${JSON.stringify(join(dir, 'store'))} }\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A WAL-mode store, as the service keeps it, with rows only in its WAL. */
function liveStore(): Database.Database {
  const db = new Database(join(dir, 'store', 'quietwatt.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE readings (meter_id TEXT, ts_ms INTEGER, energy_kwh REAL)');
  const insert = db.prepare('INSERT INTO readings VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 5000; i++) insert.run('m1', i, i / 10);
  })();
  return db;
}

describe('quietwatt backup', () => {
  it('copies a store that is open for writing, with what only its WAL holds, readable by its owner only', async () => {
    const live = liveStore();
    try {
      const target = join(dir, 'copy.db');
      expect(await backup([target, '--config', configFile], out)).toBe(0);
      expect(lines.join('\n')).toMatch(/backed up .* \(\d+ bytes, checked\)/);
      expect(statSync(target).mode & 0o777).toBe(0o600);
      live.prepare('INSERT INTO readings VALUES (?, ?, ?)').run('m1', 9999, 1);
      const copy = new Database(target, { readonly: true });
      expect(copy.prepare('SELECT COUNT(*) AS n FROM readings').get()).toEqual({ n: 5000 });
      copy.close();
    } finally {
      live.close();
    }
  });

  it('refuses to overwrite a file unless --force, and says when there is no store', async () => {
    const target = join(dir, 'copy.db');
    expect(await backup([target, '--config', configFile], out)).toBe(1);
    expect(lines.at(-1)).toMatch(/no store at/);
    liveStore().close();
    writeFileSync(target, 'x');
    expect(await backup([target, '--config', configFile], out)).toBe(1);
    expect(lines.at(-1)).toMatch(/exists; pass --force/);
    expect(await backup([target, '--config', configFile, '--force'], out)).toBe(0);
    expect(await backup([], out)).toBe(2);
  });
});
