import type Database from 'better-sqlite3';
import type { EndUse } from '../../domain/energy.js';
import type {
  LedgerKind,
  LedgerQuery,
  LedgerRow,
  LedgerTotals,
  SavingsLedgerStore,
} from '../../ports/stores.js';
import { checkLedgerRow } from './checks.js';
import { FilteredStatement } from './filtered-statement.js';

interface LedgerSqlRow {
  hour_start_ms: number;
  site_id: string;
  space_id: string;
  end_use: string;
  baseline_kwh: number;
  measured_kwh: number;
  avoided_kwh: number;
  cost_cny: number;
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
  cost_cny: number;
  co2_kg: number;
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
    costCny: r.cost_cny,
    co2Kg: r.co2_kg,
    kind: r.kind as LedgerKind,
    method: r.method,
    baselineVersion: r.baseline_version,
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
  private readonly upsertMany: (rows: readonly LedgerRow[]) => void;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO savings_ledger (hour_start_ms, site_id, space_id, end_use, baseline_kwh, measured_kwh,
         avoided_kwh, cost_cny, co2_kg, kind, method, baseline_version)
       VALUES (@hourStartMs, @siteId, @spaceId, @endUse, @baselineKWh, @measuredKWh,
         @avoidedKWh, @costCny, @co2Kg, @kind, @method, @baselineVersion)
       ON CONFLICT (site_id, space_id, hour_start_ms, end_use, kind, method) DO UPDATE SET
         baseline_kwh = excluded.baseline_kwh, measured_kwh = excluded.measured_kwh,
         avoided_kwh = excluded.avoided_kwh, cost_cny = excluded.cost_cny, co2_kg = excluded.co2_kg,
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
      (conditions) => `SELECT site_id, space_id, end_use, count(*) AS hours,
          sum(baseline_kwh) AS baseline_kwh, sum(measured_kwh) AS measured_kwh,
          sum(avoided_kwh) AS avoided_kwh, sum(cost_cny) AS cost_cny, sum(co2_kg) AS co2_kg
        FROM savings_ledger WHERE ${FILTER}${conditions}
        GROUP BY site_id, space_id, end_use ORDER BY site_id, space_id, end_use`,
    );
    this.upsertMany = db.transaction((rows: readonly LedgerRow[]) => {
      for (const r of rows) this.upsert.run({ ...r });
    });
  }

  upsertLedger(rows: readonly LedgerRow[]): void {
    for (const r of rows) checkLedgerRow(r);
    if (rows.length > 0) this.upsertMany(rows);
  }

  ledgerRows(query: LedgerQuery): LedgerRow[] {
    return (run(this.select, query) as LedgerSqlRow[]).map(toRow);
  }

  sumLedger(query: LedgerQuery): LedgerTotals[] {
    return (run(this.sum, query) as TotalsSqlRow[]).map((r) => ({
      siteId: r.site_id,
      spaceId: r.space_id,
      endUse: r.end_use as EndUse,
      kind: query.kind,
      method: query.method,
      hours: r.hours,
      baselineKWh: r.baseline_kwh,
      measuredKWh: r.measured_kwh,
      avoidedKWh: r.avoided_kwh,
      costCny: r.cost_cny,
      co2Kg: r.co2_kg,
    }));
  }
}
