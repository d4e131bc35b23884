/**
 * Moving a site between two instances' stores over real SQLite files: export, import into a store
 * that holds another site, refusal of a site that already has data, --force, and an import that
 * fails half-way leaving the store as it was. Then the same through the `quietwatt site` command.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { openDatabase } from '../../../src/adapters/sqlite/database.js';
import { SqliteStoreError } from '../../../src/adapters/sqlite/errors.js';
import {
  HISTORY_IMPORT_INTERVALS,
  HISTORY_IMPORTS,
  INSTANCE_TABLES,
  SITE_TABLES,
} from '../../../src/adapters/sqlite/site-tables.js';
import { ERR_SITE_HAS_DATA, exportSite, importSite } from '../../../src/adapters/sqlite/site-transfer.js';
import { site as siteCommand } from '../../../src/cli/commands/site.js';
import { minimalConfig } from '../../unit/config/helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-site-move-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const H = 3_600_000;

/** One row in every table that holds site data, for site `s` with meter `<s>-m` and sensor `<s>-s`. */
function seedSite(db: Database.Database, s: string, t0: number): void {
  const meter = `${s}-m`;
  const sensor = `${s}-s`;
  const run = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args);
  for (let i = 0; i < 3; i++)
    run(
      'INSERT INTO readings VALUES (?, ?, ?, NULL, ?)',
      meter,
      t0 + i * 60_000,
      100 + i,
      t0 + i * 60_000 + 5,
    );
  run("INSERT INTO intervals VALUES (?, 15, ?, ?, 'hall', 'lighting', 0.5, 1, 0)", meter, t0, s);
  run("INSERT INTO intervals VALUES (?, 60, ?, ?, 'hall', 'lighting', NULL, 0.2, 1)", meter, t0, s);
  run('INSERT INTO meter_state VALUES (?, ?)', meter, JSON.stringify({ last: 102 }));
  run("INSERT INTO rejection_counts VALUES (?, 'stale', 4)", meter);
  run('INSERT INTO sensor_samples VALUES (?, ?, 21.5, ?)', sensor, t0, t0 + 1);
  run(
    "INSERT INTO sensor_quarters VALUES (?, ?, ?, 'hall', 'indoor-temperature', 43, 2, 0, 900000)",
    sensor,
    t0,
    s,
  );
  run("INSERT INTO model_registry VALUES (?, 'hall', 'lighting', 'profile', 1, ?, '{}')", s, t0);
  run(
    `INSERT INTO setpoint_audit VALUES (?, ?, 'hall', 'hall-lights', 'lighting', '{"levelPct":40}', 'empty', 'active', '{}', ?, ?, ?, NULL, 'plan-1')`,
    `${s}-sp-1`,
    s,
    t0,
    t0 + H,
    t0 + 1,
  );
  run(
    `INSERT INTO savings_ledger (hour_start_ms, site_id, space_id, end_use, baseline_kwh, measured_kwh, avoided_kwh, cost, co2_kg, kind, method, baseline_version, currency)
     VALUES (?, ?, 'hall', 'lighting', 2, 1, 1, 0.6, 0.5, 'measured', 'randomized', 'v1', 'CNY')`,
    t0,
    s,
  );
  run(
    "INSERT INTO savings_ledger_daily VALUES (?, 'measured', 'randomized', ?, 'hall', 'lighting', 'CNY', 1, 2, 1, 1, 0.6, 0.5, 'v1')",
    s,
    t0,
  );
  run("INSERT INTO savings_ledger_daily_zone VALUES (?, 'Asia/Shanghai')", s);
  run(
    "INSERT INTO alerts (key, kind, site_id, space_id, severity, message, since_ms) VALUES (?, 'stale', ?, 'hall', 'warning', 'quiet', ?)",
    `stale:${s}:hall:*`,
    s,
    t0,
  );
  run(
    "INSERT INTO command_log (command_id, action, site_id, envelope_json, issuer, status, details_json, answered_at_ms) VALUES ('c1', 'set-mode', ?, '{}', 'op', 'done', '{}', ?)",
    s,
    t0,
  );
  run('INSERT INTO settings VALUES (?, ?)', `savings.verification.${s}`, '[]');
  run('INSERT INTO settings VALUES (?, ?)', `control.thermal.${s}/hall`, '{"k":1}');
  run('INSERT INTO settings VALUES (?, ?)', `control.override.${s}/hall/hall-lights`, '0');
  const imp = run(
    "INSERT INTO history_imports (meter_id, file_name, file_sha256, options_key, from_ms, to_ms, rows, written, skipped_live, imported_at_ms) VALUES (?, 'bill.csv', 'abc', '{}', ?, ?, 1, 1, 0, ?)",
    meter,
    t0 - 2 * H,
    t0 - H,
    t0,
  );
  run('INSERT INTO history_import_intervals VALUES (?, 60, ?, ?)', meter, t0 - 2 * H, imp.lastInsertRowid);
  const modes = JSON.parse(
    (db.prepare("SELECT value FROM settings WHERE key = 'operations.spaceModes'").pluck().get() as string) ??
      '{}',
  ) as Record<string, unknown>;
  modes[`${s}/hall`] = { mode: 'shadow', setBy: 'op', setAtMs: t0 };
  run(
    "INSERT INTO settings VALUES ('operations.spaceModes', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    JSON.stringify(modes),
  );
}

/** Every row of site `s` per table, ids that a store numbers itself left out, in a stable order. */
function siteRows(db: Database.Database, s: string): Record<string, unknown[]> {
  const all = (sql: string, ...args: unknown[]) => db.prepare(sql).all(...args);
  const m = `${s}-m`;
  const x = `${s}-s`;
  return {
    readings: all('SELECT * FROM readings WHERE meter_id = ? ORDER BY ts_ms', m),
    intervals: all('SELECT * FROM intervals WHERE site_id = ? ORDER BY minutes', s),
    meter_state: all('SELECT * FROM meter_state WHERE meter_id = ?', m),
    rejection_counts: all('SELECT * FROM rejection_counts WHERE meter_id = ?', m),
    sensor_samples: all('SELECT * FROM sensor_samples WHERE sensor_id = ?', x),
    sensor_quarters: all('SELECT * FROM sensor_quarters WHERE site_id = ?', s),
    model_registry: all('SELECT * FROM model_registry WHERE site_id = ?', s),
    setpoint_audit: all('SELECT * FROM setpoint_audit WHERE site_id = ?', s),
    savings_ledger: all('SELECT * FROM savings_ledger WHERE site_id = ?', s),
    savings_ledger_daily: all('SELECT * FROM savings_ledger_daily WHERE site_id = ?', s),
    savings_ledger_daily_zone: all('SELECT * FROM savings_ledger_daily_zone WHERE site_id = ?', s),
    alerts: all(
      'SELECT key, kind, site_id, space_id, severity, message, since_ms, cleared_at_ms FROM alerts WHERE site_id = ?',
      s,
    ),
    command_log: all(
      'SELECT command_id, action, site_id, status, answered_at_ms FROM command_log WHERE site_id = ?',
      s,
    ),
    settings: all(
      "SELECT * FROM settings WHERE key LIKE '%' || ? || '%' AND key <> 'operations.spaceModes' ORDER BY key",
      s,
    ),
    history: all(
      `SELECT h.meter_id, h.file_sha256, h.from_ms, i.minutes, i.start_ms FROM history_imports h
       JOIN history_import_intervals i ON i.import_id = h.import_id WHERE h.meter_id = ?`,
      m,
    ),
  };
}

const modesOf = (db: Database.Database): Record<string, unknown> =>
  JSON.parse(
    db.prepare("SELECT value FROM settings WHERE key = 'operations.spaceModes'").pluck().get() as string,
  );

function store(name: string, seed: (db: Database.Database) => void): string {
  const path = join(dir, name, 'quietwatt.db');
  const d = openDatabase(path);
  try {
    seed(d.db);
  } finally {
    d.close();
  }
  return path;
}

function read<T>(path: string, f: (db: Database.Database) => T): T {
  const d = openDatabase(path);
  try {
    return f(d.db);
  } finally {
    d.close();
  }
}

const T0 = Date.UTC(2026, 10, 2, 0, 0);

describe('site export and import', () => {
  it('moves every row of one site, and only of that site, into a store serving another site', () => {
    const source = store('a', (db) => {
      seedSite(db, 'court-a', T0);
      seedSite(db, 'court-b', T0);
    });
    const target = store('b', (db) => seedSite(db, 'court-c', T0 + H));
    const file = join(dir, 'court-a.site.db');

    const exported = exportSite({
      storePath: source,
      outPath: file,
      siteId: 'court-a',
      meterIds: ['court-a-m'],
      sensorIds: [],
      exportedAtMs: T0 + 2 * H,
    });
    // The sensor came from the store's quarters, not from the list given.
    expect(exported.meta).toMatchObject({
      siteId: 'court-a',
      meterIds: ['court-a-m'],
      sensorIds: ['court-a-s'],
    });
    expect(exported.rows).toMatchObject({ readings: 3, intervals: 2, settings: 3, history_imports: 1 });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const imported = importSite({ storePath: target, file, force: false });
    expect(imported.replaced).toBe(0);
    expect(imported.rows).toMatchObject({ readings: 3, alerts: 1, history_import_intervals: 1 });

    const before = read(source, (db) => siteRows(db, 'court-a'));
    expect(before.readings).toHaveLength(3);
    for (const rows of Object.values(before)) expect(rows.length).toBeGreaterThan(0);
    read(target, (db) => {
      expect(siteRows(db, 'court-a')).toEqual(before);
      expect(siteRows(db, 'court-b').readings).toEqual([]);
      expect(siteRows(db, 'court-b').settings).toEqual([]);
      expect(siteRows(db, 'court-c').readings).toHaveLength(3);
      // The history import got the target's next number; the target's own kept its.
      const ids = db.prepare('SELECT import_id FROM history_imports ORDER BY import_id').pluck().all();
      expect(ids).toEqual([1, 2]);
      expect(Object.keys(modesOf(db)).sort()).toEqual(['court-a/hall', 'court-c/hall']);
    });
  });

  it('knows every table of the schema: moved with a site, or kept by the instance', () => {
    const path = store('schema', () => undefined);
    const tables = read(path, (db) =>
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(),
    );
    // A new table must be placed in one list or the other (src/adapters/sqlite/site-tables.ts).
    const known = [
      ...SITE_TABLES.map((t) => t.table),
      HISTORY_IMPORTS.table,
      HISTORY_IMPORT_INTERVALS.table,
      ...INSTANCE_TABLES,
    ];
    expect([...tables].sort()).toEqual([...known].sort());
  });

  it('refuses a site that already has data, unless forced, and then replaces it without duplicates', () => {
    const source = store('a', (db) => seedSite(db, 'court-a', T0));
    const target = store('b', (db) => {
      seedSite(db, 'court-c', T0);
      // A reading of the site's meter, e.g. from an earlier partial move.
      db.prepare('INSERT INTO readings VALUES (?, ?, 1, NULL, ?)').run('court-a-m', T0 - H, T0 - H);
    });
    const file = join(dir, 'court-a.site.db');
    exportSite({
      storePath: source,
      outPath: file,
      siteId: 'court-a',
      meterIds: ['court-a-m'],
      sensorIds: ['court-a-s'],
      exportedAtMs: T0,
    });

    let refused: unknown;
    try {
      importSite({ storePath: target, file, force: false });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(SqliteStoreError);
    expect((refused as SqliteStoreError).code).toBe(ERR_SITE_HAS_DATA);
    expect((refused as Error).message).toMatch(/already holds data of site court-a \(readings 1\).*--force/);
    expect(read(target, (db) => siteRows(db, 'court-a').readings)).toHaveLength(1);

    const forced = importSite({ storePath: target, file, force: true });
    expect(forced.replaced).toBe(1);
    const expected = read(source, (db) => siteRows(db, 'court-a'));
    expect(read(target, (db) => siteRows(db, 'court-a'))).toEqual(expected);
    // Forced again: the same rows, not twice.
    importSite({ storePath: target, file, force: true });
    expect(read(target, (db) => siteRows(db, 'court-a'))).toEqual(expected);
    expect(read(target, (db) => siteRows(db, 'court-c').readings)).toHaveLength(3);
  });

  it('writes nothing when the import fails part-way', () => {
    const source = store('a', (db) => seedSite(db, 'court-a', T0));
    const target = store('b', (db) => {
      seedSite(db, 'court-c', T0);
      // command_log is among the last tables copied: everything before it has been written by then.
      db.exec(
        "CREATE TRIGGER fail_late BEFORE INSERT ON command_log BEGIN SELECT RAISE(ABORT, 'disk says no'); END",
      );
    });
    const file = join(dir, 'court-a.site.db');
    exportSite({
      storePath: source,
      outPath: file,
      siteId: 'court-a',
      meterIds: ['court-a-m'],
      sensorIds: ['court-a-s'],
      exportedAtMs: T0,
    });
    const before = read(target, (db) => [siteRows(db, 'court-a'), siteRows(db, 'court-c'), modesOf(db)]);
    expect(() => importSite({ storePath: target, file, force: false })).toThrow(/disk says no/);
    expect(read(target, (db) => [siteRows(db, 'court-a'), siteRows(db, 'court-c'), modesOf(db)])).toEqual(
      before,
    );
  });

  it('through quietwatt site: export, refused into a config without the site, imported into one with it', async () => {
    const source = store('a', (db) => seedSite(db, 'test-court', T0));
    const configOf = (name: string, siteId: string) => {
      const raw = minimalConfig();
      (raw.sites[0] as { id: string }).id = siteId;
      raw.storage = { dir: join(dir, name) };
      raw.instance = { id: name };
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, stringify(raw));
      return file;
    };
    const a = configOf('a', 'test-court');
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    const file = join(dir, 'test-court.site.db');
    expect(await siteCommand(['export', '--site', 'test-court', '--out', file, '--config', a], out)).toBe(0);
    expect(lines.join('\n')).toContain(`exported site test-court from ${source} to ${file}: readings 3`);
    expect(await siteCommand(['export', '--site', 'test-court', '--out', file, '--config', a], out)).toBe(1);

    lines.length = 0;
    const other = configOf('b', 'other-court');
    expect(await siteCommand(['import', file, '--config', other], out)).toBe(1);
    expect(lines.join('\n')).toContain(`${other} does not list site test-court`);
    const b = configOf('b', 'test-court');
    expect(await siteCommand(['import', file, '--config', b], out)).toBe(0);
    expect(read(join(dir, 'b', 'quietwatt.db'), (db) => siteRows(db, 'test-court'))).toEqual(
      read(source, (db) => siteRows(db, 'test-court')),
    );
    expect(await siteCommand(['import', file, '--config', b], out)).toBe(1);
    expect(await siteCommand(['move'], out)).toBe(2);
  });
});
