import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.js';
import { SimulatedScheduler } from '../../../src/adapters/scheduler/simulated-scheduler.js';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/sqlite/database.js';
import { createSqliteStores, type SqliteStores } from '../../../src/adapters/sqlite/index.js';
import { SqliteRetentionStore } from '../../../src/adapters/sqlite/retention-store.js';
import { SqliteSensorStore } from '../../../src/adapters/sqlite/sensor-store.js';
import { StorageConfig } from '../../../src/config/schema/runtime.js';
import type { RetentionPolicy } from '../../../src/domain/retention/policy.js';
import { wireRetention } from '../../../src/main/retention.js';
import type { LedgerRow } from '../../../src/ports/stores.js';
import { captureLogger } from '../../helpers/logger.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** When the hourly pass runs (it runs at 35 s past the hour). */
const NOW_MS = Date.UTC(2026, 5, 1, 0, 0, 35);

let dir: string;
let database: SqliteDatabase;
let db: Database.Database;
let stores: SqliteStores;
let sensors: SqliteSensorStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qw-retention-'));
  database = openDatabase(join(dir, 'quietwatt.db'));
  db = database.db;
  stores = createSqliteStores(db);
  sensors = new SqliteSensorStore(db);
});
afterEach(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const defaults: RetentionPolicy = StorageConfig.parse({});
const count = (sql: string, ...params: unknown[]): number =>
  db
    .prepare(sql)
    .pluck()
    .get(...params) as number;

/** Runs the service as the composition root wires it, on simulated time, until its hourly pass ran. */
async function runOnePass(policy: RetentionPolicy = defaults) {
  const clock = new ManualClock(NOW_MS - 1000);
  const scheduler = new SimulatedScheduler(clock);
  const log = captureLogger();
  const service = wireRetention({ db, clock, scheduler, log, policy: () => policy });
  await service.start();
  await scheduler.advanceTo(NOW_MS);
  await service.stop();
  return log.lines.find((l) => l.msg?.startsWith('retention: pruned'));
}

function seedReadingsAndSamples(days: number): void {
  const readings = [];
  const samples = [];
  for (let t = NOW_MS - days * DAY_MS; t < NOW_MS; t += HOUR_MS) {
    readings.push({ meterId: 'm1', tsMs: t, energyKWh: t / HOUR_MS, receivedAtMs: t });
    samples.push({ sensorId: 't1', tsMs: t, value: 21, receivedAtMs: t });
  }
  stores.readings.appendReadings(readings);
  sensors.appendSamples(samples);
  stores.intervals.addIntervals(
    readings.map((r) => ({
      meterId: 'm1',
      siteId: 's1',
      spaceId: 'lobby',
      endUse: 'lighting' as const,
      minutes: 60 as const,
      startMs: r.tsMs,
      energyKWh: 1,
      coverage: 1,
      missing: false,
    })),
  );
}

function decide(id: string, deviceId: string, decidedAtMs: number): void {
  stores.setpointAudit.record({
    id,
    siteId: 's1',
    spaceId: 'lobby',
    deviceId,
    kind: 'lighting',
    valueJson: '{"levelPct":40}',
    reason: 'test',
    mode: 'active',
    inputsJson: '{}',
    decidedAtMs,
    validUntilMs: decidedAtMs + HOUR_MS,
    planId: 'p',
    publishedAtMs: decidedAtMs,
    acknowledgedAtMs: null,
  });
}

function ledgerRow(hourStartMs: number, baselineVersion: string): LedgerRow {
  return {
    hourStartMs,
    siteId: 's1',
    spaceId: 'lobby',
    endUse: 'lighting',
    baselineKWh: 2,
    measuredKWh: 1,
    avoidedKWh: 1,
    cost: 0.7,
    currency: 'CNY',
    co2Kg: 0.6,
    kind: 'measured',
    method: 'baseline',
    baselineVersion,
  };
}

describe('retention on a real SQLite file under simulated time', () => {
  it('prunes raw readings and sensor samples past their days, keeping intervals', async () => {
    seedReadingsAndSamples(60);
    const line = await runOnePass();
    const cutoff = NOW_MS - 35 * DAY_MS;
    expect(count('SELECT min(ts_ms) FROM readings')).toBe(cutoff);
    expect(count('SELECT count(*) FROM readings')).toBe(35 * 24);
    expect(count('SELECT min(ts_ms) FROM sensor_samples')).toBe(cutoff);
    // What baselines and refits read stays whole.
    expect(count('SELECT count(*) FROM intervals')).toBe(60 * 24);
    expect(line?.obj).toMatchObject({
      removed: { readings: 25 * 24, sensorSamples: 25 * 24 },
      complete: true,
    });
  });

  it("prunes the audit log past its days but keeps each device's latest two days", async () => {
    for (let d = 500; d >= 1; d--) decide(`busy-${d}`, 'busy', NOW_MS - d * DAY_MS);
    // A device whose space went off long ago: its last decisions restore it after a restart.
    for (const d of [620, 600, 599.5, 599]) decide(`quiet-${d}`, 'quiet', NOW_MS - d * DAY_MS);
    await runOnePass();
    const left = db.prepare('SELECT id FROM setpoint_audit ORDER BY decided_at_ms').pluck().all();
    expect(left.filter((id) => String(id).startsWith('quiet-'))).toEqual([
      'quiet-600',
      'quiet-599.5',
      'quiet-599',
    ]);
    expect(count("SELECT count(*) FROM setpoint_audit WHERE device_id = 'busy'")).toBe(400);
    expect(stores.setpointAudit.latestForDevice('s1', 'lobby', 'quiet')?.id).toBe('quiet-599');
  });

  it('prunes cleared alerts and answered commands past their days; open alerts stay', async () => {
    const alert = db.prepare(
      'INSERT INTO alerts (key, kind, severity, message, since_ms, cleared_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
    );
    alert.run('old-cleared', 'stale', 'warning', 'x', NOW_MS - 300 * DAY_MS, NOW_MS - 200 * DAY_MS);
    alert.run('recent-cleared', 'stale', 'warning', 'x', NOW_MS - 300 * DAY_MS, NOW_MS - 100 * DAY_MS);
    alert.run('old-open', 'stale', 'warning', 'x', NOW_MS - 300 * DAY_MS, null);
    const command = db.prepare(
      `INSERT INTO command_log (command_id, action, envelope_json, issuer, status, details_json, answered_at_ms)
       VALUES (?, 'set-mode', '{}', 'operator', 'done', '{}', ?)`,
    );
    command.run('old', NOW_MS - 500 * DAY_MS);
    command.run('recent', NOW_MS - 10 * DAY_MS);
    await runOnePass();
    expect(db.prepare('SELECT key FROM alerts ORDER BY key').pluck().all()).toEqual([
      'old-open',
      'recent-cleared',
    ]);
    expect(db.prepare('SELECT command_id FROM command_log').pluck().all()).toEqual(['recent']);
  });

  it('keeps the newest model versions and every baseline version a savings figure names', async () => {
    for (let v = 1; v <= 15; v++) {
      for (const modelKind of ['forecast', 'baseline']) {
        stores.models.saveModel({
          siteId: 's1',
          spaceId: 'lobby',
          endUse: 'lighting',
          modelKind,
          createdAtMs: NOW_MS - (16 - v) * DAY_MS,
          json: '{}',
        });
      }
    }
    stores.ledger.upsertLedger([
      ledgerRow(NOW_MS - 400 * DAY_MS, 'towt@2'),
      ledgerRow(NOW_MS - 2 * DAY_MS, 'towt@14'),
    ]);
    await runOnePass({ ...defaults, modelVersionsKept: 3 });
    const versions = (kind: string) =>
      db
        .prepare('SELECT version FROM model_registry WHERE model_kind = ? ORDER BY version')
        .pluck()
        .all(kind);
    expect(versions('forecast')).toEqual([13, 14, 15]);
    expect(versions('baseline')).toEqual([2, 13, 14, 15]);
    // The ledger is never pruned, however old.
    expect(count('SELECT count(*) FROM savings_ledger')).toBe(2);
  });

  it('never goes below the floors, even with a policy that bypassed the schema', async () => {
    seedReadingsAndSamples(20);
    for (let d = 30; d >= 1; d--) decide(`d-${d}`, 'busy', NOW_MS - d * DAY_MS);
    await runOnePass({
      ...defaults,
      rawRetentionDays: 1,
      sensorSampleRetentionDays: 1,
      auditRetentionDays: 1,
    });
    expect(count('SELECT min(ts_ms) FROM readings')).toBe(NOW_MS - 7 * DAY_MS);
    expect(count('SELECT min(ts_ms) FROM sensor_samples')).toBe(NOW_MS - 14 * DAY_MS);
    expect(count('SELECT count(*) FROM setpoint_audit')).toBe(14);
  });

  it('pages readings meter by meter, whatever the batch size, keeping every newer one', () => {
    const retention = new SqliteRetentionStore(db);
    const cutoff = NOW_MS - DAY_MS;
    // Meter i has 4i - 1 readings before the cutoff (none for the first) and 3 after it.
    const seedMeters = () => {
      const readings = [];
      for (let i = 0; i < 8; i++)
        for (let k = -4 * i + 1; k <= 3; k++)
          readings.push({ meterId: `m${i}`, tsMs: cutoff + k * HOUR_MS, energyKWh: k, receivedAtMs: 0 });
      stores.readings.appendReadings(readings);
      return readings.filter((r) => r.tsMs < cutoff).length;
    };
    for (const maxRows of [1, 2, 5, 13, 200]) {
      db.exec('DELETE FROM readings');
      const old = seedMeters();
      let removed = 0;
      let pages = 0;
      for (let after: string | undefined = ''; after !== undefined; pages++) {
        const page = retention.pruneReadings(cutoff, maxRows, after);
        expect(page.removed).toBeLessThanOrEqual(maxRows);
        removed += page.removed;
        after = page.nextCursor;
      }
      expect(removed).toBe(old);
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(old / maxRows));
      expect(count('SELECT count(*) FROM readings WHERE ts_ms < ?', cutoff)).toBe(0);
      expect(count('SELECT count(*) FROM readings')).toBe(8 * 3 + 7);
    }
  });

  it('prunes a large backlog in batches that each hold the event loop briefly', async () => {
    const readings = [];
    for (let i = 0; i < 100_000; i++)
      readings.push({
        meterId: `m${i % 20}`,
        tsMs: NOW_MS - 100 * DAY_MS + i * 1000,
        energyKWh: i,
        receivedAtMs: 0,
      });
    stores.readings.appendReadings(readings);
    const line = await runOnePass();
    expect(count('SELECT count(*) FROM readings')).toBe(0);
    const obj = line?.obj as { batches: number; longestBatchMs: number };
    expect(obj.batches).toBeGreaterThanOrEqual(100_000 / 200);
    // About 2 ms a batch (median) on the 2-core development machine; a loaded runner may stall longer.
    expect(obj.longestBatchMs).toBeLessThan(250);
  });
});

describe('storage retention settings', () => {
  it('has defaults for every length', () => {
    expect(StorageConfig.parse({})).toMatchObject({
      rawRetentionDays: 35,
      sensorSampleRetentionDays: 35,
      auditRetentionDays: 400,
      alertRetentionDays: 180,
      commandRetentionDays: 400,
      modelVersionsKept: 10,
    });
  });

  it.each([
    ['rawRetentionDays', 3, 'at least 7 days: ingest accepts readings up to 7 days late'],
    ['sensorSampleRetentionDays', 7, 'at least 14 days: thermal learning'],
    ['auditRetentionDays', 10, 'at least 14 days: thermal learning'],
    ['modelVersionsKept', 1, 'at least 2 versions'],
  ])('refuses %s below its floor and says why', (key, value, message) => {
    const result = StorageConfig.safeParse({ [key]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
    expect(result.error?.issues[0]?.path).toEqual([key]);
  });
});
