import { checkLedgerRow } from '../../../src/adapters/sqlite/checks.js';
import type {
  LedgerPeriodQuery,
  LedgerPeriodTotals,
  LedgerQuery,
  LedgerRow,
  LedgerTotals,
  SavingsLedgerStore,
} from '../../../src/ports/stores.js';
import { byKeys } from './compare.js';

function matches(r: LedgerRow, q: LedgerQuery): boolean {
  return (
    r.kind === q.kind &&
    r.method === q.method &&
    r.hourStartMs >= q.fromMs &&
    r.hourStartMs < q.toMs &&
    (q.siteId === undefined || r.siteId === q.siteId) &&
    (q.spaceId === undefined || r.spaceId === q.spaceId) &&
    (q.endUse === undefined || r.endUse === q.endUse)
  );
}

export class MemorySavingsLedgerStore implements SavingsLedgerStore {
  private readonly rows = new Map<string, LedgerRow>();

  upsertLedger(rows: readonly LedgerRow[]): void {
    for (const r of rows) checkLedgerRow(r);
    for (const r of rows) {
      const key = [r.siteId, r.spaceId, r.hourStartMs, r.endUse, r.kind, r.method].join('\u0000');
      this.rows.set(key, { ...r });
    }
  }

  ledgerRows(query: LedgerQuery): LedgerRow[] {
    return [...this.rows.values()]
      .filter((r) => matches(r, query))
      .sort(
        byKeys(
          (r) => r.hourStartMs,
          (r) => r.siteId,
          (r) => r.spaceId,
          (r) => r.endUse,
        ),
      )
      .map((r) => ({ ...r }));
  }

  sumLedger(query: LedgerQuery): LedgerTotals[] {
    const totals = new Map<string, LedgerTotals>();
    for (const r of this.rows.values()) {
      if (!matches(r, query)) continue;
      const key = [r.siteId, r.spaceId, r.endUse, r.currency].join('\u0000');
      const t = totals.get(key);
      totals.set(key, {
        siteId: r.siteId,
        spaceId: r.spaceId,
        endUse: r.endUse,
        kind: query.kind,
        method: query.method,
        hours: (t?.hours ?? 0) + 1,
        baselineKWh: (t?.baselineKWh ?? 0) + r.baselineKWh,
        measuredKWh: (t?.measuredKWh ?? 0) + r.measuredKWh,
        avoidedKWh: (t?.avoidedKWh ?? 0) + r.avoidedKWh,
        cost: (t?.cost ?? 0) + r.cost,
        currency: r.currency,
        co2Kg: (t?.co2Kg ?? 0) + r.co2Kg,
      });
    }
    return [...totals.values()].sort(
      byKeys(
        (t) => t.siteId,
        (t) => t.spaceId,
        (t) => t.endUse,
        (t) => t.currency,
      ),
    );
  }

  sumLedgerByPeriod(query: LedgerPeriodQuery): LedgerPeriodTotals[] {
    const out: LedgerPeriodTotals[] = [];
    for (const p of query.periods) {
      const rows = this.ledgerRows({ ...query, fromMs: p.fromMs, toMs: p.toMs });
      for (const t of this.sumLedger({ ...query, fromMs: p.fromMs, toMs: p.toMs })) {
        const versions = rows
          .filter((r) => r.siteId === t.siteId && r.spaceId === t.spaceId && r.endUse === t.endUse)
          .filter((r) => r.currency === t.currency)
          .map((r) => r.baselineVersion);
        out.push({
          ...t,
          periodStartMs: p.fromMs,
          periodEndMs: p.toMs,
          versions: [...new Set(versions)].sort(),
        });
      }
    }
    return out;
  }
}
