import type Database from 'better-sqlite3';
import type { EndUse } from '../../domain/energy.js';
import type {
  LedgerKind,
  LedgerPeriodQuery,
  LedgerPeriodTotals,
  LedgerQuery,
  LedgerRow,
  LedgerTotals,
  SavingsLedgerStore,
} from '../../ports/stores.js';
import { checkLedgerRow } from './checks.js';
import { FilteredStatement } from './filtered-statement.js';
import { LedgerDailySums, type SiteZoneOf, wholeLocalDays } from './ledger-daily.js';

interface LedgerSqlRow {
  hour_start_ms: number;
  site_id: string;
  space_id: string;
  end_use: string;
  baseline_kwh: number;
  measured_kwh: number;
  avoided_kwh: number;
  cost: number;
  currency: string;
  co2_kg: number;
  kind: string;
  method: string;
  baseline_version: string;
}

interface TotalsSqlRow {
  site_id: string;
  space_id: string;
  end_use: string;
  hours: number;
  baseline_kwh: number;
  measured_kwh: number;
  avoided_kwh: number;
  cost: number;
  currency: string;
  co2_kg: number;
}

interface PeriodSqlRow extends TotalsSqlRow {
  period_start_ms: number;
  period_end_ms: number;
  versions: string;
}

function toRow(r: LedgerSqlRow): LedgerRow {
  return {
    hourStartMs: r.hour_start_ms,
    siteId: r.site_id,
    spaceId: r.space_id,
    endUse: r.end_use as EndUse,
    baselineKWh: r.baseline_kwh,
    measuredKWh: r.measured_kwh,
    avoidedKWh: r.avoided_kwh,
    cost: r.cost,
    currency: r.currency,
    co2Kg: r.co2_kg,
    kind: r.kind as LedgerKind,
    method: r.method,
    baselineVersion: r.baseline_version,
  };
}

function toTotals(r: TotalsSqlRow, q: Pick<LedgerQuery, 'kind' | 'method'>): LedgerTotals {
  return {
    siteId: r.site_id,
    spaceId: r.space_id,
    endUse: r.end_use as EndUse,
    kind: q.kind,
    method: q.method,
    hours: r.hours,
    baselineKWh: r.baseline_kwh,
    measuredKWh: r.measured_kwh,
    avoidedKWh: r.avoided_kwh,
    cost: r.cost,
    currency: r.currency,
    co2Kg: r.co2_kg,
  };
}

const FILTER = 'kind = @kind AND method = @method AND hour_start_ms >= @fromMs AND hour_start_ms < @toMs';
const OPTIONAL = { siteId: 'site_id', spaceId: 'space_id', endUse: 'end_use' };

function run(statement: FilteredStatement, q: LedgerQuery): unknown[] {
  return statement.all(
    { kind: q.kind, method: q.method, fromMs: q.fromMs, toMs: q.toMs },
    { siteId: q.siteId, spaceId: q.spaceId, endUse: q.endUse },
  );
}

/**
 * Hourly savings per space and end use. Every query names one kind and one method, so measured
 * and estimated savings (or two methods' views of the same hours) are never added together.
 */
export class SqliteSavingsLedgerStore implements SavingsLedgerStore {
  private readonly upsert: Database.Statement;
  private readonly select: FilteredStatement;
  private readonly sum: FilteredStatement;
  private readonly byPeriod: FilteredStatement;
  private readonly upsertMany: (rows: readonly LedgerRow[]) => void;

  private readonly daily: LedgerDailySums;

  constructor(db: Database.Database, zoneOf: SiteZoneOf = () => undefined) {
    this.daily = new LedgerDailySums(db, zoneOf);
    this.upsert = db.prepare(
      `INSERT INTO savings_ledger (hour_start_ms, site_id, space_id, end_use, baseline_kwh, measured_kwh,
         avoided_kwh, cost, currency, co2_kg, kind, method, baseline_version)
       VALUES (@hourStartMs, @siteId, @spaceId, @endUse, @baselineKWh, @measuredKWh,
         @avoidedKWh, @cost, @currency, @co2Kg, @kind, @method, @baselineVersion)
       ON CONFLICT (site_id, space_id, hour_start_ms, end_use, kind, method) DO UPDATE SET
         baseline_kwh = excluded.baseline_kwh, measured_kwh = excluded.measured_kwh,
         avoided_kwh = excluded.avoided_kwh, cost = excluded.cost, currency = excluded.currency,
         co2_kg = excluded.co2_kg,
         baseline_version = excluded.baseline_version`,
    );
    this.select = new FilteredStatement(
      db,
      OPTIONAL,
      (conditions) => `SELECT * FROM savings_ledger WHERE ${FILTER}${conditions}
        ORDER BY hour_start_ms, site_id, space_id, end_use`,
    );
    this.sum = new FilteredStatement(
      db,
      OPTIONAL,
      (conditions) => `SELECT site_id, space_id, end_use, currency, count(*) AS hours,
          sum(baseline_kwh) AS baseline_kwh, sum(measured_kwh) AS measured_kwh,
          sum(avoided_kwh) AS avoided_kwh, sum(cost) AS cost, sum(co2_kg) AS co2_kg
        FROM savings_ledger WHERE ${FILTER}${conditions}
        GROUP BY site_id, space_id, end_use, currency ORDER BY site_id, space_id, end_use, currency`,
    );
    // Periods arrive as a JSON array of [from, to, dayFrom, dayTo]: the whole local days inside
    // [dayFrom, dayTo) are read from the daily sums, the hours before and after them from the
    // hourly rows; each part is an index range scan, and the sums are grouped in SQL.
    const parts = (conditions: string) => `
        SELECT p.from_ms, p.to_ms, site_id, space_id, end_use, currency, hours, baseline_kwh,
          measured_kwh, avoided_kwh, cost, co2_kg, versions
        FROM p CROSS JOIN savings_ledger_daily
        WHERE kind = @kind AND method = @method
          AND day_start_ms >= p.day_from AND day_start_ms < p.day_to${conditions}
        UNION ALL
        SELECT p.from_ms, p.to_ms, site_id, space_id, end_use, currency, 1, baseline_kwh,
          measured_kwh, avoided_kwh, cost, co2_kg, baseline_version
        FROM p CROSS JOIN savings_ledger
        WHERE kind = @kind AND method = @method
          AND hour_start_ms >= p.from_ms AND hour_start_ms < p.day_from${conditions}
        UNION ALL
        SELECT p.from_ms, p.to_ms, site_id, space_id, end_use, currency, 1, baseline_kwh,
          measured_kwh, avoided_kwh, cost, co2_kg, baseline_version
        FROM p CROSS JOIN savings_ledger
        WHERE kind = @kind AND method = @method
          AND hour_start_ms >= p.day_to AND hour_start_ms < p.to_ms${conditions}`;
    this.byPeriod = new FilteredStatement(
      db,
      OPTIONAL,
      (conditions) => `WITH p AS MATERIALIZED (
          SELECT json_extract(value, '$[0]') AS from_ms, json_extract(value, '$[1]') AS to_ms,
            json_extract(value, '$[2]') AS day_from, json_extract(value, '$[3]') AS day_to
          FROM json_each(@periods))
        SELECT from_ms AS period_start_ms, to_ms AS period_end_ms,
          site_id, space_id, end_use, currency, sum(hours) AS hours,
          sum(baseline_kwh) AS baseline_kwh, sum(measured_kwh) AS measured_kwh,
          sum(avoided_kwh) AS avoided_kwh, sum(cost) AS cost, sum(co2_kg) AS co2_kg,
          group_concat(versions) AS versions
        FROM (${parts(conditions)})
        GROUP BY from_ms, site_id, space_id, end_use, currency
        ORDER BY from_ms, site_id, space_id, end_use, currency`,
    );
    this.upsertMany = db.transaction((rows: readonly LedgerRow[]) => {
      for (const r of rows) this.upsert.run({ ...r });
      this.daily.update(rows);
    });
  }

  /** After a config reload: rebuilds the daily sums of any site whose zone changed. */
  realignDays(): void {
    this.daily.realign();
  }

  upsertLedger(rows: readonly LedgerRow[]): void {
    for (const r of rows) checkLedgerRow(r);
    if (rows.length > 0) this.upsertMany(rows);
  }

  ledgerRows(query: LedgerQuery): LedgerRow[] {
    return (run(this.select, query) as LedgerSqlRow[]).map(toRow);
  }

  sumLedger(query: LedgerQuery): LedgerTotals[] {
    return (run(this.sum, query) as TotalsSqlRow[]).map((r) => toTotals(r, query));
  }

  sumLedgerByPeriod(query: LedgerPeriodQuery): LedgerPeriodTotals[] {
    if (query.periods.length === 0) return [];
    // Whole days come from the daily sums only where the site's zone is known; else every hour is read.
    const zone = query.siteId === undefined ? undefined : this.daily.recordedZone(query.siteId);
    const periods = JSON.stringify(
      query.periods.map((p) => [
        p.fromMs,
        p.toMs,
        ...(zone === undefined ? [p.toMs, p.toMs] : wholeLocalDays(p.fromMs, p.toMs, zone)),
      ]),
    );
    const rows = this.byPeriod.all(
      { kind: query.kind, method: query.method, periods },
      { siteId: query.siteId, spaceId: query.spaceId, endUse: query.endUse },
    ) as PeriodSqlRow[];
    return rows.map((r) => ({
      ...toTotals(r, query),
      periodStartMs: r.period_start_ms,
      periodEndMs: r.period_end_ms,
      versions: [...new Set((r.versions ?? '').split(',').filter((v) => v !== ''))].sort(),
    }));
  }
}
