import type Database from 'better-sqlite3';
import type { ReadingStore, StoredReading } from '../../ports/stores.js';
import { checkReading } from './checks.js';
import { multiRowInsert } from './multi-row-insert.js';

interface ReadingSqlRow {
  meter_id: string;
  ts_ms: number;
  energy_kwh: number | null;
  power_w: number | null;
  received_at_ms: number;
}

function toReading(r: ReadingSqlRow): StoredReading {
  return {
    meterId: r.meter_id,
    tsMs: r.ts_ms,
    ...(r.energy_kwh === null ? {} : { energyKWh: r.energy_kwh }),
    ...(r.power_w === null ? {} : { powerW: r.power_w }),
    receivedAtMs: r.received_at_ms,
  };
}

/**
 * Raw readings, one per (meter, timestamp): a second reading with the same timestamp is ignored
 * (the first delivery wins), so redelivered MQTT messages and re-imported files add nothing.
 * Ranges are half-open, [fromMs, toMs).
 */
export class SqliteReadingStore implements ReadingStore {
  private readonly prune: Database.Statement;
  private readonly range: Database.Statement;
  private readonly countAll: Database.Statement;
  private readonly countMeter: Database.Statement;
  private readonly insertMany: (readings: readonly StoredReading[]) => void;

  constructor(db: Database.Database) {
    const insertRows = multiRowInsert<StoredReading>(
      db,
      {
        head: 'INSERT INTO readings (meter_id, ts_ms, energy_kwh, power_w, received_at_ms)',
        columns: 5,
        // DO NOTHING on the key only: OR IGNORE would also swallow NOT NULL and CHECK violations.
        tail: 'ON CONFLICT (meter_id, ts_ms) DO NOTHING',
      },
      (r, params, at) => {
        params[at] = r.meterId;
        params[at + 1] = r.tsMs;
        params[at + 2] = r.energyKWh ?? null;
        params[at + 3] = r.powerW ?? null;
        params[at + 4] = r.receivedAtMs;
      },
    );
    this.prune = db.prepare('DELETE FROM readings WHERE ts_ms < ?');
    this.range = db.prepare(
      'SELECT * FROM readings WHERE meter_id = ? AND ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms',
    );
    this.countAll = db.prepare('SELECT count(*) AS n FROM readings').pluck();
    this.countMeter = db.prepare('SELECT count(*) AS n FROM readings WHERE meter_id = ?').pluck();
    // One transaction per batch: a batch is written whole or not at all, and fast.
    this.insertMany = db.transaction(insertRows);
  }

  appendReadings(readings: readonly StoredReading[]): void {
    for (const r of readings) checkReading(r);
    if (readings.length > 0) this.insertMany(readings);
  }

  pruneReadingsBefore(cutoffMs: number): number {
    return this.prune.run(cutoffMs).changes;
  }

  readingsFor(meterId: string, fromMs: number, toMs: number): StoredReading[] {
    return (this.range.all(meterId, fromMs, toMs) as ReadingSqlRow[]).map(toReading);
  }

  countReadings(meterId?: string): number {
    return (meterId === undefined ? this.countAll.get() : this.countMeter.get(meterId)) as number;
  }
}
