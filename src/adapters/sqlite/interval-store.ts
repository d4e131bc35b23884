import type Database from 'better-sqlite3';
import type { EndUse, IntervalMinutes } from '../../domain/energy.js';
import type { IntervalRow, IntervalStore } from '../../ports/stores.js';
import { checkInterval } from './checks.js';
import { FilteredStatement } from './filtered-statement.js';

interface IntervalSqlRow {
  meter_id: string;
  minutes: number;
  start_ms: number;
  site_id: string;
  space_id: string;
  end_use: string;
  energy_kwh: number | null;
  coverage: number;
  missing: number;
}

function toInterval(r: IntervalSqlRow): IntervalRow {
  return {
    meterId: r.meter_id,
    siteId: r.site_id,
    spaceId: r.space_id,
    endUse: r.end_use as EndUse,
    minutes: r.minutes as IntervalMinutes,
    startMs: r.start_ms,
    energyKWh: r.energy_kwh,
    coverage: r.coverage,
    missing: r.missing === 1,
  };
}

/** The head of an insert of one interval row; `runInterval` binds a row in this order. */
export const INSERT_INTERVAL = `INSERT INTO intervals
  (meter_id, minutes, start_ms, site_id, space_id, end_use, energy_kwh, coverage, missing)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Runs a statement that starts with INSERT_INTERVAL for one row (no array per row: a hot path). */
export function runInterval(statement: Database.Statement, r: IntervalRow): void {
  statement.run(
    r.meterId,
    r.minutes,
    r.startMs,
    r.siteId,
    r.spaceId,
    r.endUse,
    r.energyKWh,
    r.coverage,
    r.missing ? 1 : 0,
  );
}

/**
 * Interval aggregates keyed by (meter, minutes, start). addIntervals accumulates, as `mergeInterval`
 * in checks.ts describes: energy and coverage add (coverage capped at 1), a missing marker never
 * erases energy, and a missing interval stops being missing once energy arrives. Accumulation means
 * the caller must add each reading pair's energy once; duplicates are filtered before this point.
 */
export class SqliteIntervalStore implements IntervalStore {
  private readonly upsert: Database.Statement;
  private readonly select: FilteredStatement;
  private readonly countBySpace: Database.Statement;
  private readonly upsertMany: (rows: readonly IntervalRow[]) => void;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `${INSERT_INTERVAL}
       ON CONFLICT (meter_id, minutes, start_ms) DO UPDATE SET
         energy_kwh = CASE
           WHEN energy_kwh IS NULL AND excluded.energy_kwh IS NULL THEN NULL
           ELSE coalesce(energy_kwh, 0) + coalesce(excluded.energy_kwh, 0)
         END,
         coverage = min(1.0, coverage + excluded.coverage),
         missing = missing AND excluded.missing`,
    );
    this.select = new FilteredStatement(
      db,
      { meterId: 'meter_id', spaceId: 'space_id', endUse: 'end_use' },
      (conditions) => `SELECT * FROM intervals
        WHERE minutes = @minutes AND start_ms >= @fromMs AND start_ms < @toMs${conditions}
        ORDER BY start_ms, meter_id`,
    );
    this.countBySpace = db.prepare(
      'SELECT space_id, count(*) AS n FROM intervals WHERE minutes = ? GROUP BY space_id ORDER BY space_id',
    );
    this.upsertMany = db.transaction((rows: readonly IntervalRow[]) => {
      for (const r of rows) runInterval(this.upsert, r);
    });
  }

  addIntervals(rows: readonly IntervalRow[]): void {
    for (const r of rows) checkInterval(r);
    if (rows.length > 0) this.upsertMany(rows);
  }

  intervalsFor(query: {
    readonly meterId?: string;
    readonly spaceId?: string;
    readonly endUse?: EndUse;
    readonly minutes: IntervalMinutes;
    readonly fromMs: number;
    readonly toMs: number;
  }): IntervalRow[] {
    const rows = this.select.all(
      { minutes: query.minutes, fromMs: query.fromMs, toMs: query.toMs },
      { meterId: query.meterId, spaceId: query.spaceId, endUse: query.endUse },
    ) as IntervalSqlRow[];
    return rows.map(toInterval);
  }

  countIntervalsBySpace(minutes: IntervalMinutes): Map<string, number> {
    const rows = this.countBySpace.all(minutes) as { space_id: string; n: number }[];
    return new Map(rows.map((r) => [r.space_id, r.n]));
  }
}
