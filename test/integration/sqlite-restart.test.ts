import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, openDatabaseWithBackup } from '../../src/adapters/sqlite/database.js';
import {
  ERR_BAD_MIGRATIONS,
  ERR_OPEN,
  ERR_SCHEMA_TOO_NEW,
  SqliteStoreError,
} from '../../src/adapters/sqlite/errors.js';
import { createSqliteStores } from '../../src/adapters/sqlite/index.js';
import { MIGRATIONS, type Migration } from '../../src/adapters/sqlite/migrations/index.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-sqlite-'));
  file = join(dir, 'nested', 'storage', 'quietwatt.db');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

/** How migrate() names an applied step: `001-core`. */
const stepName = (version: number, name: string) => `${String(version).padStart(3, '0')}-${name}`;

const tableNames = (db: ReturnType<typeof openDatabase>) =>
  db.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();

describe('SQLite database file', () => {
  it('creates its directory and runs in WAL mode with the agreed pragmas', () => {
    const db = openDatabase(file, { busyTimeoutMs: 1234 });
    try {
      expect(existsSync(file)).toBe(true);
      expect(db.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.db.pragma('busy_timeout', { simple: true })).toBe(1234);
      createSqliteStores(db.db).settings.set('k', 'v');
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(existsSync(`${file}-shm`)).toBe(true);
    } finally {
      db.close();
    }
    // close() checkpoints: nothing is left behind in the WAL.
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
    db.close(); // a second close is harmless
  });

  it('keeps every store’s state across close and reopen', () => {
    const first = openDatabase(file);
    const a = createSqliteStores(first.db);
    a.readings.appendReadings([{ meterId: 'm1', tsMs: 1000, energyKWh: 12.5, receivedAtMs: 1001 }]);
    a.intervals.addIntervals([
      {
        meterId: 'm1',
        siteId: 's1',
        spaceId: 'lobby',
        endUse: 'lighting',
        minutes: 15,
        startMs: 0,
        energyKWh: 0.25,
        coverage: 0.5,
        missing: false,
      },
    ]);
    a.meterState.saveMeterState('m1', '{"lastKWh":12.5}');
    a.settings.set('sim.clockMs', '86400000');
    a.rejections.increment('m1', 'nan', 2);
    a.setpointAudit.record({
      id: 'sp-1',
      siteId: 's1',
      spaceId: 'lobby',
      deviceId: 'lights-1',
      kind: 'lighting',
      valueJson: '{"levelPct":30}',
      reason: 'empty lobby',
      mode: 'active',
      inputsJson: '{}',
      decidedAtMs: 5000,
      validUntilMs: 6000,
      planId: 'p1',
      publishedAtMs: 5001,
      acknowledgedAtMs: null,
    });
    a.ledger.upsertLedger([
      {
        hourStartMs: 0,
        siteId: 's1',
        spaceId: 'lobby',
        endUse: 'lighting',
        baselineKWh: 2,
        measuredKWh: 1.5,
        avoidedKWh: 0.5,
        cost: 0.3,
        currency: 'CNY',
        co2Kg: 0.29,
        kind: 'measured',
        method: 'baseline',
        baselineVersion: 'towt@1',
      },
    ]);
    a.models.saveModel({
      siteId: 's1',
      spaceId: 'lobby',
      endUse: 'lighting',
      modelKind: 'towt',
      createdAtMs: 7,
      json: '{}',
    });
    first.close();

    const second = openDatabase(file);
    try {
      const b = createSqliteStores(second.db);
      expect(b.readings.readingsFor('m1', 0, 2000)).toStrictEqual([
        { meterId: 'm1', tsMs: 1000, energyKWh: 12.5, receivedAtMs: 1001 },
      ]);
      b.intervals.addIntervals([
        {
          meterId: 'm1',
          siteId: 's1',
          spaceId: 'lobby',
          endUse: 'lighting',
          minutes: 15,
          startMs: 0,
          energyKWh: 0.25,
          coverage: 0.5,
          missing: false,
        },
      ]);
      expect(b.intervals.intervalsFor({ minutes: 15, fromMs: 0, toMs: 1 })[0]).toMatchObject({
        energyKWh: 0.5,
        coverage: 1,
      });
      expect(b.meterState.loadMeterState('m1')).toBe('{"lastKWh":12.5}');
      expect(b.settings.get('sim.clockMs')).toBe('86400000');
      expect(b.rejections.counts()).toEqual([{ meterId: 'm1', reason: 'nan', count: 2 }]);
      expect(b.setpointAudit.get('sp-1')?.publishedAtMs).toBe(5001);
      expect(
        b.ledger.sumLedger({ kind: 'measured', method: 'baseline', fromMs: 0, toMs: 1 })[0]?.avoidedKWh,
      ).toBe(0.5);
      expect(b.models.listModels().map((m) => [m.modelKind, m.version])).toEqual([['towt', 1]]);
      const next = {
        siteId: 's1',
        spaceId: 'lobby',
        endUse: 'lighting',
        modelKind: 'towt',
        json: '{}',
      } as const;
      expect(b.models.saveModel({ ...next, createdAtMs: 8 }).version).toBe(2);
    } finally {
      second.close();
    }
  });

  it('applies migrations once: reopening applies nothing and records each version once', () => {
    const first = openDatabase(file);
    expect(first.migration).toEqual({
      fromVersion: 0,
      toVersion: MIGRATIONS.length,
      applied: MIGRATIONS.map((m) => stepName(m.version, m.name)),
    });
    const tables = tableNames(first);
    first.close();

    const again = openDatabase(file);
    try {
      expect(again.migration).toEqual({
        fromVersion: MIGRATIONS.length,
        toVersion: MIGRATIONS.length,
        applied: [],
      });
      expect(tableNames(again)).toEqual(tables);
      const versions = again.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    } finally {
      again.close();
    }
  });

  it('applies only the new migration when the code gains one', async () => {
    openDatabase(file).close();
    const extra: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'extra',
      up: (db) => db.exec('CREATE TABLE extra_things (id INTEGER PRIMARY KEY)'),
    };
    const db = await openDatabaseWithBackup(file, { migrations: [...MIGRATIONS, extra] });
    try {
      expect(db.migration.applied).toEqual([stepName(extra.version, 'extra')]);
      expect(tableNames(db)).toContain('extra_things');
    } finally {
      db.close();
    }
  });

  it('rolls a failing migration back whole and leaves the file at its previous version', async () => {
    openDatabase(file).close();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (id INTEGER)');
        throw new Error('boom');
      },
    };
    await expect(openDatabaseWithBackup(file, { migrations: [...MIGRATIONS, broken] })).rejects.toThrow(
      'boom',
    );
    const db = openDatabase(file);
    try {
      expect(db.migration.fromVersion).toBe(MIGRATIONS.length);
      expect(tableNames(db)).not.toContain('half_done');
    } finally {
      db.close();
    }
  });

  it('refuses a database newer than the code, naming both versions and the file', () => {
    openDatabase(file).close();
    const err = caught(() => openDatabase(file, { migrations: MIGRATIONS.slice(0, 1) }));
    expect(err).toBeInstanceOf(SqliteStoreError);
    expect((err as SqliteStoreError).code).toBe(ERR_SCHEMA_TOO_NEW);
    expect((err as Error).message).toContain(`schema version ${MIGRATIONS.length}`);
    expect((err as Error).message).toContain('only up to 1');
    expect((err as Error).message).toContain(file);
    // The refusal did not damage the file.
    const db = openDatabase(file);
    expect(db.migration.applied).toEqual([]);
    db.close();
  });

  it('refuses a migration list with a gap or out of order', () => {
    const [first, second] = MIGRATIONS;
    const err = caught(() => openDatabase(file, { migrations: [second as Migration, first as Migration] }));
    expect((err as SqliteStoreError).code).toBe(ERR_BAD_MIGRATIONS);
  });

  it('names the file when it is not a database', () => {
    mkdirSync(join(dir, 'nested', 'storage'), { recursive: true });
    writeFileSync(file, 'this is a text file, not SQLite, and long enough to have a header of its own....');
    const err = caught(() => openDatabase(file));
    expect((err as SqliteStoreError).code).toBe(ERR_OPEN);
    expect((err as Error).message).toContain(file);
  });

  it('lets a second connection read while the first holds a write transaction (WAL)', () => {
    const writer = openDatabase(file);
    const reader = openDatabase(file);
    try {
      expect(reader.migration.applied).toEqual([]);
      const w = createSqliteStores(writer.db);
      const r = createSqliteStores(reader.db);
      w.settings.set('k', 'committed');
      writer.db.exec('BEGIN IMMEDIATE');
      w.settings.set('k', 'uncommitted');
      expect(r.settings.get('k')).toBe('committed');
      writer.db.exec('COMMIT');
      expect(r.settings.get('k')).toBe('uncommitted');
    } finally {
      reader.close();
      writer.close();
    }
  });
});
