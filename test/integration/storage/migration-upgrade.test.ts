import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKUPS_KEPT, backupPathFor, listBackups } from '../../../src/adapters/sqlite/backup.js';
import { backupSqliteStorage } from '../../../src/adapters/sqlite/backup-storage.js';
import { openDatabase, openDatabaseWithBackup } from '../../../src/adapters/sqlite/database.js';
import { ERR_NO_BACKUP, SqliteStoreError } from '../../../src/adapters/sqlite/errors.js';
import { SqliteInbox } from '../../../src/adapters/sqlite/inbox-store.js';
import { createSqliteStores } from '../../../src/adapters/sqlite/index.js';
import { MIGRATIONS } from '../../../src/adapters/sqlite/migrations/index.js';
import { openSqliteStorage } from '../../../src/adapters/sqlite/storage.js';
import { parseSeriesState, type SeriesState } from '../../../src/domain/ingest/series.js';
import { encodeWindow, windowFromSeries } from '../../../src/domain/ingest/window-codec.js';
import { captureLogger } from '../../helpers/logger.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-upgrade-'));
  file = join(dir, 'storage', 'quietwatt.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const HOUR_MS = 3_600_000;
/** A meter's state as releases before migration 011 stored it (compact JSON, two readings). */
const METER_STATE_JSON = JSON.stringify({
  v: 2,
  s: false,
  e: [
    [0, 100],
    [600_000, 101, 1, 0],
  ],
});

/** The same state as the binary record of migration 011 and later. */
const METER_STATE_RECORD = encodeWindow(
  windowFromSeries(parseSeriesState(METER_STATE_JSON) as SeriesState, 96),
);

/** Rows in every table that exists at `version`, written with that version's columns. */
function seed(db: Database.Database, version: number): void {
  if (version >= 1) {
    db.prepare('INSERT INTO readings VALUES (?, ?, ?, ?, ?)').run('m1', 1000, 12.5, null, 1001);
    db.prepare('INSERT INTO intervals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      'm1',
      15,
      0,
      's1',
      'lobby',
      'lighting',
      0.25,
      1,
      0,
    );
    db.prepare('INSERT INTO settings VALUES (?, ?)').run('seeded.at', String(version));
    db.prepare('INSERT INTO meter_state VALUES (?, ?)').run('m1', METER_STATE_JSON);
  }
  if (version >= 2) {
    db.prepare(
      `INSERT INTO setpoint_audit (id, site_id, space_id, device_id, kind, value_json, reason, mode,
         inputs_json, decided_at_ms, valid_until_ms, plan_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run('sp-1', 's1', 'lobby', 'd1', 'lighting', '{"levelPct":40}', 'empty', 'active', '{}', 5, 10, 'p1');
    const cost = version >= 6 ? 'cost' : 'cost_cny';
    db.prepare(
      `INSERT INTO savings_ledger (hour_start_ms, site_id, space_id, end_use, baseline_kwh, measured_kwh,
         avoided_kwh, ${cost}, co2_kg, kind, method, baseline_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(HOUR_MS, 's1', 'lobby', 'lighting', 2, 1.5, 0.5, 0.35, 0.29, 'measured', 'baseline', 'towt@1');
    db.prepare('INSERT INTO model_registry VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      's1',
      'lobby',
      'lighting',
      'baseline',
      1,
      7,
      '{}',
    );
  }
  if (version >= 3) db.prepare('INSERT INTO sensor_samples VALUES (?, ?, ?, ?)').run('t1', 2000, 21.5, 2001);
  if (version >= 4) {
    db.prepare('INSERT INTO alerts (key, kind, severity, message, since_ms) VALUES (?, ?, ?, ?, ?)').run(
      'k1',
      'stale',
      'warning',
      'meter m1 is silent',
      100,
    );
    db.prepare(
      `INSERT INTO command_log (command_id, action, envelope_json, issuer, status, details_json, answered_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run('c1', 'set-mode', '{}', 'operator', 'done', '{}', 200);
  }
  if (version >= 5) {
    db.prepare(
      'INSERT INTO access_tokens (id, name, role, secret_hash, created_at_ms) VALUES (?, ?, ?, ?, ?)',
    ).run('t1', 'ops', 'operator', 'salt$hash', 300);
  }
  if (version >= 10) {
    // Two consumers' rows interleaved: replay reads each one's own, in arrival order.
    const insert = db.prepare(
      'INSERT INTO inbound_inbox (consumer, topic, payload, retained, received_at_ms) VALUES (?, ?, ?, 0, ?)',
    );
    for (const [i, consumer] of ['ingest', 'sensors', 'ingest'].entries())
      insert.run(consumer, `t/${i}`, Buffer.from(`p${i}`), 400 + i);
  }
  if (version >= 11)
    db.prepare('INSERT INTO meter_state VALUES (?, ?)').run('m3', Buffer.from(METER_STATE_RECORD));
}

const count = (db: Database.Database, table: string): number =>
  db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

/** A database as release k left it: migrations 1..k applied, with data in what they created. */
function databaseAtVersion(version: number): void {
  const db = openDatabase(file, { migrations: MIGRATIONS.slice(0, version) });
  try {
    seed(db.db, version);
  } finally {
    db.close();
  }
}

describe('upgrading a database from every earlier schema version', () => {
  for (let version = 0; version < MIGRATIONS.length; version++) {
    it(`from version ${version}: backs it up first, migrates, and keeps the data`, async () => {
      databaseAtVersion(version);
      const db = await openDatabaseWithBackup(file);
      try {
        expect(db.migration.fromVersion).toBe(version);
        expect(db.migration.toVersion).toBe(MIGRATIONS.length);
        expect(db.backup?.path).toBe(backupPathFor(file, version));
        const stores = createSqliteStores(db.db);
        if (version >= 1) {
          expect(stores.readings.readingsFor('m1', 0, 5000)).toHaveLength(1);
          expect(
            stores.intervals.intervalsFor({ meterId: 'm1', minutes: 15, fromMs: 0, toMs: 1 }),
          ).toHaveLength(1);
          expect(stores.settings.get('seeded.at')).toBe(String(version));
          // A JSON meter state survives as it was, and is still read as the same readings.
          const stored = stores.meterState.loadMeterState('m1');
          expect(stored).toBe(METER_STATE_JSON);
          const series = parseSeriesState(stored as string);
          expect(series && encodeWindow(windowFromSeries(series, 96))).toEqual(
            encodeWindow(windowFromSeries(parseSeriesState(METER_STATE_JSON) as SeriesState, 96)),
          );
          expect(series?.entries.map((e) => e.tsMs)).toEqual([0, 600_000]);
        }
        // The migrated table takes the binary record beside old JSON rows, and gives it back.
        const record = encodeWindow(windowFromSeries(parseSeriesState(METER_STATE_JSON) as SeriesState, 96));
        stores.meterState.saveMeterStates(new Map([['m2', record]]));
        expect(new Uint8Array(stores.meterState.loadMeterState('m2') as Uint8Array)).toEqual(record);
        if (version >= 2) {
          expect(stores.setpointAudit.get('sp-1')?.reason).toBe('empty');
          const rows = stores.ledger.ledgerRows({
            kind: 'measured',
            method: 'baseline',
            fromMs: 0,
            toMs: 2 * HOUR_MS,
          });
          // Rows written before money had a currency were priced in CNY (migration 006).
          expect(rows.map((r) => [r.cost, r.currency])).toEqual([[0.35, 'CNY']]);
          expect(stores.models.getModel('s1', 'lobby', 'lighting', 'baseline', 1)).toBeDefined();
        }
        if (version >= 3) expect(count(db.db, 'sensor_samples')).toBe(1);
        if (version >= 4) expect([count(db.db, 'alerts'), count(db.db, 'command_log')]).toEqual([1, 1]);
        if (version >= 5) expect(count(db.db, 'access_tokens')).toBe(1);
        if (version >= 10) {
          const inbox = new SqliteInbox(db.db);
          expect(inbox.pending('ingest', 0, 10).map((r) => r.topic)).toEqual(['t/0', 't/2']);
          expect(inbox.pending('ingest', 1, 10).map((r) => r.topic)).toEqual(['t/2']);
          expect(inbox.pending('sensors', 0, 10).map((r) => r.topic)).toEqual(['t/1']);
        }
        if (version >= 11)
          expect(new Uint8Array(stores.meterState.loadMeterState('m3') as Uint8Array)).toEqual(
            METER_STATE_RECORD,
          );
      } finally {
        db.close();
      }
      // The copy is a sound database at the version it was taken at, owner-only, holding the data.
      const backup = new Database(backupPathFor(file, version), { readonly: true, fileMustExist: true });
      try {
        expect(backup.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(backup.prepare('SELECT max(version) FROM schema_migrations').pluck().get() ?? 0).toBe(version);
        if (version >= 1) {
          expect(backup.prepare("SELECT value FROM settings WHERE key = 'seeded.at'").pluck().get()).toBe(
            String(version),
          );
        }
      } finally {
        backup.close();
      }
      expect(statSync(backupPathFor(file, version)).mode & 0o777).toBe(0o600);
    });
  }

  it('takes no backup of a brand-new database, nor of one already current', async () => {
    const fresh = await openDatabaseWithBackup(file);
    fresh.close();
    expect(fresh.backup).toBeUndefined();
    const again = await openDatabaseWithBackup(file);
    again.close();
    expect(again.backup).toBeUndefined();
    expect(listBackups(file)).toEqual([]);
  });

  it('refuses to migrate a database with data when no backup was taken', () => {
    databaseAtVersion(3);
    let error: unknown;
    try {
      openDatabase(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SqliteStoreError);
    expect((error as SqliteStoreError).code).toBe(ERR_NO_BACKUP);
    expect((error as Error).message).toContain('schema version 3');
    // Nothing was applied.
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(3);
    db.close();
  });

  it(`keeps only the newest ${BACKUPS_KEPT} backups`, async () => {
    databaseAtVersion(5);
    for (const old of [1, 2, 3, 4]) writeFileSync(backupPathFor(file, old), 'an older backup');
    (await openDatabaseWithBackup(file)).close();
    expect(listBackups(file).map((b) => b.version)).toEqual([5, 4, 3].slice(0, BACKUPS_KEPT));
  });

  it('backs the storage folder up as the service starts, then opens it migrated', async () => {
    databaseAtVersion(4);
    const log = captureLogger();
    await backupSqliteStorage(join(dir, 'storage'), log);
    const storage = openSqliteStorage(join(dir, 'storage'), log);
    try {
      expect(storage.database.migration).toMatchObject({ fromVersion: 4, toVersion: MIGRATIONS.length });
      expect(log.lines.find((l) => l.msg === 'database backed up')?.obj).toMatchObject({
        backup: backupPathFor(file, 4),
        version: 4,
      });
    } finally {
      storage.database.close();
    }
  });
});
