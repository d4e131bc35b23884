import type Database from 'better-sqlite3';
import {
  hourlyMeanTemperature,
  hourlyOccupancy,
  spaceOccupancyByQuarter,
} from '../../domain/sensors/aggregate.js';
import type {
  HourlyTemperature,
  OccupancyFraction,
  SensorKind,
  SensorQuarter,
  SensorQuarterDelta,
  SensorSample,
} from '../../domain/sensors/types.js';
import type { SensorStore } from '../../ports/stores.js';
import { ERR_BAD_ROW, SqliteStoreError } from './errors.js';

interface SampleSqlRow {
  sensor_id: string;
  ts_ms: number;
  value: number;
  received_at_ms: number;
}

interface QuarterSqlRow {
  sensor_id: string;
  start_ms: number;
  site_id: string;
  space_id: string;
  kind: string;
  value_sum: number;
  count: number;
  occupied_ms: number;
  observed_ms: number;
}

const toSample = (r: SampleSqlRow): SensorSample => ({
  sensorId: r.sensor_id,
  tsMs: r.ts_ms,
  value: r.value,
  receivedAtMs: r.received_at_ms,
});

const toQuarter = (r: QuarterSqlRow): SensorQuarter => ({
  sensorId: r.sensor_id,
  siteId: r.site_id,
  spaceId: r.space_id === '' ? null : r.space_id,
  kind: r.kind as SensorKind,
  startMs: r.start_ms,
  valueSum: r.value_sum,
  count: r.count,
  occupiedMs: r.occupied_ms,
  observedMs: r.observed_ms,
});

function bad(what: string, field: string, value: unknown): never {
  throw new SqliteStoreError(ERR_BAD_ROW, `${what}: ${field} = ${String(value)}, expected a finite number`);
}

/** Row checks shared with the in-memory fake: programming errors, not outside input. */
export function checkSample(s: SensorSample): void {
  const what = `sample of sensor '${s.sensorId}'`;
  if (!Number.isFinite(s.tsMs)) bad(what, 'tsMs', s.tsMs);
  if (!Number.isFinite(s.value)) bad(what, 'value', s.value);
  if (!Number.isFinite(s.receivedAtMs)) bad(what, 'receivedAtMs', s.receivedAtMs);
}

export function checkQuarterDelta(d: SensorQuarterDelta): void {
  const what = `quarter of sensor '${d.sensorId}' at ${d.startMs}`;
  for (const f of ['startMs', 'valueSum', 'count', 'occupiedMs', 'observedMs'] as const) {
    if (!Number.isFinite(d[f])) bad(what, f, d[f]);
  }
  if (d.count < 0 || d.occupiedMs < 0 || d.observedMs < 0 || d.occupiedMs > d.observedMs) {
    throw new SqliteStoreError(ERR_BAD_ROW, `${what}: counts and times must be >= 0, occupied <= observed`);
  }
}

/** Sensor samples and 15-minute aggregates in SQLite (tables of migration 003). Ranges are [from, to). */
export class SqliteSensorStore implements SensorStore {
  private readonly insertSample: Database.Statement;
  private readonly upsertQuarter: Database.Statement;
  private readonly prune: Database.Statement;
  private readonly latest: Database.Statement;
  private readonly range: Database.Statement;
  private readonly quartersSite: Database.Statement;
  private readonly quartersSpace: Database.Statement;
  private readonly writeSamples: (samples: readonly SensorSample[]) => void;
  private readonly writeQuarters: (deltas: readonly SensorQuarterDelta[]) => void;

  constructor(db: Database.Database) {
    this.insertSample = db.prepare(
      `INSERT INTO sensor_samples (sensor_id, ts_ms, value, received_at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (sensor_id, ts_ms) DO NOTHING`,
    );
    this.upsertQuarter = db.prepare(
      `INSERT INTO sensor_quarters
         (sensor_id, start_ms, site_id, space_id, kind, value_sum, count, occupied_ms, observed_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sensor_id, start_ms) DO UPDATE SET
         value_sum = value_sum + excluded.value_sum,
         count = count + excluded.count,
         occupied_ms = occupied_ms + excluded.occupied_ms,
         observed_ms = observed_ms + excluded.observed_ms`,
    );
    this.prune = db.prepare('DELETE FROM sensor_samples WHERE ts_ms < ?');
    this.latest = db.prepare(
      `SELECT s.* FROM sensor_samples s
       JOIN (SELECT sensor_id, max(ts_ms) AS ts_ms FROM sensor_samples GROUP BY sensor_id) m
         ON m.sensor_id = s.sensor_id AND m.ts_ms = s.ts_ms
       ORDER BY s.sensor_id`,
    );
    this.range = db.prepare(
      'SELECT * FROM sensor_samples WHERE sensor_id = ? AND ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms',
    );
    this.quartersSite = db.prepare(
      `SELECT * FROM sensor_quarters
       WHERE site_id = @siteId AND (@kind IS NULL OR kind = @kind) AND start_ms >= @fromMs AND start_ms < @toMs
       ORDER BY start_ms, sensor_id`,
    );
    this.quartersSpace = db.prepare(
      `SELECT * FROM sensor_quarters
       WHERE site_id = @siteId AND space_id = @spaceId AND (@kind IS NULL OR kind = @kind)
         AND start_ms >= @fromMs AND start_ms < @toMs
       ORDER BY start_ms, sensor_id`,
    );
    this.writeSamples = db.transaction((samples: readonly SensorSample[]) => {
      for (const s of samples) this.insertSample.run(s.sensorId, s.tsMs, s.value, s.receivedAtMs);
    });
    this.writeQuarters = db.transaction((deltas: readonly SensorQuarterDelta[]) => {
      for (const d of deltas) {
        this.upsertQuarter.run(
          d.sensorId,
          d.startMs,
          d.siteId,
          d.spaceId ?? '',
          d.kind,
          d.valueSum,
          d.count,
          Math.round(d.occupiedMs),
          Math.round(d.observedMs),
        );
      }
    });
  }

  appendSamples(samples: readonly SensorSample[]): void {
    for (const s of samples) checkSample(s);
    if (samples.length > 0) this.writeSamples(samples);
  }

  addQuarters(deltas: readonly SensorQuarterDelta[]): void {
    for (const d of deltas) checkQuarterDelta(d);
    if (deltas.length > 0) this.writeQuarters(deltas);
  }

  pruneSamplesBefore(cutoffMs: number): number {
    return this.prune.run(cutoffMs).changes;
  }

  latestSamples(): SensorSample[] {
    return (this.latest.all() as SampleSqlRow[]).map(toSample);
  }

  samplesFor(sensorId: string, fromMs: number, toMs: number): SensorSample[] {
    return (this.range.all(sensorId, fromMs, toMs) as SampleSqlRow[]).map(toSample);
  }

  quartersFor(query: {
    readonly siteId: string;
    readonly spaceId?: string | null;
    readonly kind?: SensorKind;
    readonly fromMs: number;
    readonly toMs: number;
  }): SensorQuarter[] {
    const params = {
      siteId: query.siteId,
      kind: query.kind ?? null,
      fromMs: query.fromMs,
      toMs: query.toMs,
    };
    const rows =
      query.spaceId === undefined
        ? this.quartersSite.all(params)
        : this.quartersSpace.all({ ...params, spaceId: query.spaceId ?? '' });
    return (rows as QuarterSqlRow[]).map(toQuarter);
  }

  occupancyFractionFor(
    space: { readonly siteId: string; readonly spaceId: string },
    fromMs: number,
    toMs: number,
    minutes: 15 | 60 = 15,
  ): OccupancyFraction[] {
    const quarters = spaceOccupancyByQuarter(
      this.quartersFor({ siteId: space.siteId, spaceId: space.spaceId, kind: 'occupancy', fromMs, toMs }),
    );
    return minutes === 60 ? hourlyOccupancy(quarters) : quarters;
  }

  outdoorTemperatureHourly(siteId: string, fromMs: number, toMs: number): HourlyTemperature[] {
    return hourlyMeanTemperature(this.quartersFor({ siteId, kind: 'outdoor-temperature', fromMs, toMs }));
  }
}
